import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadYaml } from "@kubernetes/client-node";
import { startKubeSim, type KubeSim } from "@/sim/kube";
import { KubectlHarness } from "./support";

/**
 * Stored RBAC and service-account tokens through real kubectl: create a role, binding, service account and token
 * Secret the way an admin would, read them back, and ask `auth can-i` as the service account (impersonated, and with
 * its own token).
 */
const MANIFEST = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: scanner
  namespace: default
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: scanner
rules:
- apiGroups: [""]
  resources: ["secrets", "namespaces"]
  verbs: ["get", "list"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: scanner
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: scanner
subjects:
- kind: ServiceAccount
  name: scanner
  namespace: default
---
apiVersion: v1
kind: Secret
metadata:
  name: scanner-token
  namespace: default
  annotations:
    kubernetes.io/service-account.name: scanner
type: kubernetes.io/service-account-token
`;

for (const version of ["1.27", "1.33"]) {
  describe(`kubectl ${version}: stored RBAC and service-account tokens`, () => {
    let sim: KubeSim;
    let kubectl: KubectlHarness;
    let kubeconfig: string;
    beforeAll(async () => {
      sim = await startKubeSim({ name: "rbac" });
      kubectl = new KubectlHarness(version);
      kubeconfig = kubectl.writeKubeconfig("config", sim.kubeconfig());
    });
    afterAll(async () => {
      kubectl?.cleanup();
      await sim?.close();
    });

    it("creates the objects from a manifest and prints the role as stored", async () => {
      const created = await kubectl.run(kubeconfig, ["create", "-f", "-"], MANIFEST);
      expect(created.stderr).toBe("");
      expect(created.stdout).toContain("clusterrole.rbac.authorization.k8s.io/scanner created");
      expect(created.stdout).toContain("clusterrolebinding.rbac.authorization.k8s.io/scanner created");
      const role = await kubectl.run(kubeconfig, ["get", "clusterrole", "scanner", "-o", "yaml"]);
      expect(role.code).toBe(0);
      const doc = loadYaml<{ kind: string; rules: unknown[] }>(role.stdout);
      expect(doc.kind).toBe("ClusterRole");
      expect(doc.rules).toEqual([{ apiGroups: [""], resources: ["secrets", "namespaces"], verbs: ["get", "list"] }]);
      const table = await kubectl.run(kubeconfig, ["get", "clusterrolebindings"]);
      expect(table.stdout).toMatch(/^NAME\s+ROLE\s+AGE\n/);
      expect(table.stdout).toMatch(/scanner\s+ClusterRole\/scanner\s+\d+s/);
    });

    it("answers auth can-i for the service account, impersonated and with its own token", async () => {
      const as = ["--as", "system:serviceaccount:default:scanner"];
      expect((await kubectl.run(kubeconfig, ["auth", "can-i", "list", "secrets", "-A", ...as])).stdout.trim()).toBe("yes");
      const write = await kubectl.run(kubeconfig, ["auth", "can-i", "create", "secrets", "-n", "default", ...as]);
      expect(write.stdout.trim()).toBe("no");
      let token = "";
      for (let i = 0; i < 50 && !token; i++) {
        const r = await kubectl.run(kubeconfig, ["get", "secret", "scanner-token", "-n", "default", "-o", "jsonpath={.data.token}"]);
        token = Buffer.from(r.stdout, "base64").toString("utf8");
      }
      expect(token).not.toBe("");
      const own = await kubectl.run(kubeconfig, ["--token", token, "get", "secrets", "-n", "default", "-o", "name"]);
      expect(own.stdout).toContain("secret/scanner-token");
      const refused = await kubectl.run(kubeconfig, ["--token", token, "delete", "secret", "scanner-token", "-n", "default"]);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('User "system:serviceaccount:default:scanner" cannot delete resource "secrets" in API group "" in the namespace "default"');
    });
  });
}
