import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { authorize, defaultUsers, denialMessage } from "./rbac";
import { FaultInjector } from "./faults";
import { generateTlsMaterial } from "./tls";
import { renderKubeconfig } from "./kubeconfig";

describe("rbac", () => {
  const [admin, viewer, noSecrets, teamA] = defaultUsers();
  const attrs = (verb: string, resource: string, namespace = "") => ({ verb, group: "", resource, namespace });

  it("applies the preset users' rules", () => {
    expect(authorize(admin!, attrs("delete", "namespaces")).allowed).toBe(true);
    expect(authorize(viewer!, attrs("list", "secrets")).allowed).toBe(true);
    expect(authorize(viewer!, attrs("patch", "serviceaccounts", "default")).allowed).toBe(false);
    expect(authorize(noSecrets!, attrs("get", "secrets", "default")).allowed).toBe(false);
    expect(authorize(teamA!, attrs("create", "secrets", "team-a-dev")).allowed).toBe(true);
    expect(authorize(teamA!, attrs("list", "secrets")).allowed).toBe(false);
    expect(authorize(teamA!, attrs("create", "selfsubjectaccessreviews")).allowed).toBe(true);
  });

  it("words denials like the RBAC authorizer", () => {
    expect(denialMessage(teamA!, attrs("list", "secrets"))).toBe('User "team-a" cannot list resource "secrets" in API group "" at the cluster scope');
    expect(denialMessage(teamA!, { verb: "get", group: "apps", resource: "deployments", namespace: "prod" })).toBe(
      'User "team-a" cannot get resource "deployments" in API group "apps" in the namespace "prod"',
    );
  });
});

describe("faults", () => {
  it("counts down next-N faults and only conflicts mutating requests", () => {
    const f = new FaultInjector({ rateLimitNext: 2, conflictNext: 1, retryAfterSeconds: 3 });
    expect(f.decide(false)).toEqual({ kind: "rateLimit", retryAfterSeconds: 3 });
    expect(f.decide(true)).toEqual({ kind: "rateLimit", retryAfterSeconds: 3 });
    expect(f.decide(false)).toEqual({ kind: "none" });
    expect(f.decide(true)).toEqual({ kind: "conflict" });
    expect(f.decide(true)).toEqual({ kind: "none" });
  });

  it("is reproducible for a seed and roughly honours rates", () => {
    const run = () => {
      const f = new FaultInjector({ errorRate: 0.3, seed: 42 });
      return Array.from({ length: 1000 }, () => f.decide(false).kind);
    };
    const a = run();
    expect(a).toEqual(run());
    const errors = a.filter((k) => k === "error").length;
    expect(errors).toBeGreaterThan(220);
    expect(errors).toBeLessThan(380);
  });
});

describe("tls", () => {
  it("issues a server certificate for 127.0.0.1 and localhost signed by a CA", () => {
    const m = generateTlsMaterial("unit");
    const ca = new crypto.X509Certificate(m.caPem);
    const leaf = new crypto.X509Certificate(m.certPem);
    expect(ca.ca).toBe(true);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(leaf.checkHost("localhost")).toBe("localhost");
    expect(leaf.checkPrivateKey(crypto.createPrivateKey(m.keyPem))).toBe(true);
  });
});

describe("kubeconfig", () => {
  it("renders one context per entry with the CA embedded", () => {
    const text = renderKubeconfig([
      { clusterName: "a", contextName: "a", userName: "a-admin", server: "https://127.0.0.1:1", caPem: "PEM", token: "t1" },
      { clusterName: "b", contextName: "b", userName: "b-admin", server: "http://127.0.0.1:2", caPem: null, token: "t2" },
    ]);
    expect(text).toContain(`certificate-authority-data: ${Buffer.from("PEM").toString("base64")}`);
    expect(text).toContain("insecure-skip-tls-verify: true");
    expect(text).toContain('current-context: "a"');
    expect(text.match(/- name: /g)).toHaveLength(6);
  });
});
