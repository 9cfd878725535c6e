import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEMO_CLUSTER_SERVICE_IDS, DEMO_LEGACY_TOKENS } from "@/sim/demo-credentials";
import { startKubeSim, type KubeSim, type KubeSimOptions } from "@/sim/kube";
import { buildDockerConfigJson, buildIamApiKeyDockerConfigJson } from "@/lib/registry/docker-config";
import { createKubeGateway } from "@/lib/kube";
import type { KubeGatewayOptions } from "@/lib/kube";

export const b64 = (s: string) => Buffer.from(s).toString("base64");

export function pullSecretObject(namespace: string, name: string, json: string, extra: { labels?: Record<string, string>; annotations?: Record<string, string> } = {}) {
  return { apiVersion: "v1", kind: "Secret", metadata: { name, namespace, ...extra }, type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": b64(json) } };
}

/** A small cluster: IKS-style secrets in default, a team namespace pair for the team-a user, a deployment and its pod. */
export function smallClusterObjects(): unknown[] {
  const all = buildIamApiKeyDockerConfigJson({ apiKey: DEMO_CLUSTER_SERVICE_IDS.modern.apiKey, domains: ["icr.io", "us.icr.io", "de.icr.io"] });
  const legacy = buildDockerConfigJson([{ registry: "registry.ng.bluemix.net", username: "token", password: DEMO_LEGACY_TOKENS.regional }]);
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a-web", labels: { team: "a" } } },
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a-api", labels: { team: "a" } } },
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "payments", labels: { team: "pay" } } },
    pullSecretObject("default", "all-icr-io", all, { annotations: { "kubectl.kubernetes.io/last-applied-configuration": JSON.stringify({ data: { ".dockerconfigjson": b64(all) } }) } }),
    pullSecretObject("default", "bluemix-default-secret", legacy),
    { apiVersion: "v1", kind: "Secret", metadata: { name: "opaque", namespace: "default" }, type: "Opaque", data: { password: b64(DEMO_CLUSTER_SERVICE_IDS.modern.apiKey) } },
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "old-cfg", namespace: "payments" },
      type: "kubernetes.io/dockercfg",
      data: { ".dockercfg": b64(JSON.stringify({ "us.icr.io": { username: "iamapikey", password: DEMO_CLUSTER_SERVICE_IDS.regional.revokedApiKey } })) },
    },
    pullSecretObject("team-a-web", "team-a-web-us-icr-io", buildIamApiKeyDockerConfigJson({ apiKey: DEMO_CLUSTER_SERVICE_IDS.modern.apiKey, domains: ["us.icr.io"] })),
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace: "default" }, imagePullSecrets: [{ name: "all-icr-io" }, { name: "bluemix-default-secret" }] },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace: "payments" }, imagePullSecrets: [{ name: "missing-secret" }] },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "builder", namespace: "team-a-web" } },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "team-a-web" },
      spec: {
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { initContainers: [{ name: "init", image: "registry.ng.bluemix.net/team/init:1" }], containers: [{ name: "web", image: "registry.ng.bluemix.net/team/web:2" }, { name: "side", image: "nginx:1.25" }] },
        },
      },
    },
    {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "web-abc12-xyz", namespace: "team-a-web", labels: { app: "web", "pod-template-hash": "abc12" }, ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-abc12", uid: "00000000-0000-0000-0000-000000000001", controller: true }] },
      spec: { containers: [{ name: "web", image: "us.icr.io/team/web:2" }] },
    },
  ];
}

export interface Harness {
  sim: KubeSim;
  dir: string;
  kubeconfigFor(user: string, opts?: { namespace?: string; server?: string; caPem?: string }): string;
  gateway(user?: string, opts?: Partial<KubeGatewayOptions> & { namespace?: string; server?: string; caPem?: string }): ReturnType<typeof createKubeGateway>;
  close(): Promise<void>;
}

/** Starts a simulated cluster over HTTPS and builds gateways from kubeconfig files written to a temp dir. */
export async function startHarness(opts: Partial<KubeSimOptions> = {}): Promise<Harness> {
  const sim = await startKubeSim({ name: "c1", objects: smallClusterObjects(), ...opts });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pk-kube-"));
  const gateways: ReturnType<typeof createKubeGateway>[] = [];
  let n = 0;
  const kubeconfigFor = (user: string, o: { namespace?: string; server?: string; caPem?: string } = {}) => {
    const token = sim.tokens[user] ?? "not-a-valid-token";
    const ca = o.caPem ?? sim.caPem;
    const yaml = [
      "apiVersion: v1",
      "kind: Config",
      "clusters:",
      `- name: c1`,
      "  cluster:",
      `    server: ${JSON.stringify(o.server ?? sim.url)}`,
      ...(ca ? [`    certificate-authority-data: ${b64(ca)}`] : []),
      "users:",
      `- name: ${user}`,
      "  user:",
      `    token: ${JSON.stringify(token)}`,
      "contexts:",
      "- name: c1",
      "  context:",
      "    cluster: c1",
      `    user: ${user}`,
      ...(o.namespace ? [`    namespace: ${o.namespace}`] : []),
      "current-context: c1",
      "",
    ].join("\n");
    const file = path.join(dir, `kubeconfig-${user}-${n++}`);
    fs.writeFileSync(file, yaml);
    return file;
  };
  return {
    sim,
    dir,
    kubeconfigFor,
    gateway(user = "admin", o = {}) {
      const { namespace, server, caPem, ...gw } = o;
      const g = createKubeGateway({
        kubeconfigPaths: [kubeconfigFor(user, { ...(namespace ? { namespace } : {}), ...(server ? { server } : {}), ...(caPem ? { caPem } : {}) })],
        requestTimeoutMs: 5000,
        retry: { attempts: 6, baseDelayMs: 10, maxDelayMs: 1500 },
        ...gw,
      });
      gateways.push(g);
      return g;
    },
    async close() {
      for (const g of gateways) g.close();
      await sim.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A raw GET with the admin token, to inspect stored objects exactly as the server holds them. */
export async function rawGet(sim: KubeSim, path: string): Promise<{ status: number; body: any }> {
  const https = await import("node:https");
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(path, sim.url), { ca: sim.caPem ?? undefined, headers: { Authorization: `Bearer ${sim.tokens.admin}`, Accept: "application/json" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Runs `fn` and returns what it threw. */
export async function caught(fn: () => Promise<unknown>): Promise<any> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to fail");
}

/** A raw write with the admin token (a change made by someone other than Pullkeeper). */
export async function rawWrite(sim: KubeSim, method: "PUT" | "PATCH", path: string, body: unknown, contentType = "application/json"): Promise<{ status: number; body: any }> {
  const https = await import("node:https");
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(path, sim.url), { method, ca: sim.caPem ?? undefined, headers: { Authorization: `Bearer ${sim.tokens.admin}`, Accept: "application/json", "Content-Type": contentType } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") }));
    });
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}
