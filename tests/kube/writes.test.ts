import { execFile } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CREDENTIAL_CANARY, DEMO_CLUSTER_SERVICE_IDS } from "@/sim/demo-credentials";
import { buildIamApiKeyDockerConfigJson, parsePullSecretData } from "@/lib/registry/docker-config";
import { rewriteLegacyImage } from "@/lib/registry/image-ref";
import { SourceReads } from "@/lib/kube/source-reads";
import { caught, rawGet, rawWrite, startHarness, type Harness } from "./support";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

const secretPath = (ns: string, name: string) => `/api/v1/namespaces/${ns}/secrets/${name}`;
const saPath = (ns: string, name: string) => `/api/v1/namespaces/${ns}/serviceaccounts/${name}`;
const NEW_KEY = DEMO_CLUSTER_SERVICE_IDS.regional.apiKey;

describe("createPullSecret / copySecret / updatePullSecretData", () => {
  it("creates a labelled dockerconfigjson secret and returns a DTO without values", async () => {
    const res = await h.gateway().createPullSecret("c1", { namespace: "payments", name: "payments-all-icr-io", dockerConfigJson: buildIamApiKeyDockerConfigJson({ apiKey: NEW_KEY, domains: ["us.icr.io", "icr.io"] }), labels: { team: "pay" } });
    expect(res.secret).toMatchObject({ name: "payments-all-icr-io", managedBy: "pullkeeper", labels: { team: "pay", "app.kubernetes.io/managed-by": "pullkeeper" } });
    expect(JSON.stringify(res)).not.toContain(CREDENTIAL_CANARY);
    const stored = await rawGet(h.sim, secretPath("payments", "payments-all-icr-io"));
    expect(stored.body.type).toBe("kubernetes.io/dockerconfigjson");
    expect(stored.body.metadata.annotations["pullkeeper.io/fingerprint"]).toBe(res.secret.credentialFingerprint);
  });

  it("copies from type + data + an explicit name only", async () => {
    const res = await h.gateway().copySecret("c1", { namespace: "default", name: "all-icr-io" }, { namespace: "team-a-api", name: "all-icr-io" });
    const src = await rawGet(h.sim, secretPath("default", "all-icr-io"));
    const copy = (await rawGet(h.sim, secretPath("team-a-api", "all-icr-io"))).body;
    expect(copy.data).toEqual(src.body.data);
    expect(copy.type).toBe(src.body.type);
    expect(copy.metadata.uid).not.toBe(src.body.metadata.uid);
    expect(copy.metadata.ownerReferences).toBeUndefined();
    expect(copy.metadata.labels).toEqual({ "app.kubernetes.io/managed-by": "pullkeeper" });
    expect(Object.keys(copy.metadata.annotations).sort()).toEqual(["pullkeeper.io/fingerprint", "pullkeeper.io/source-fingerprint", "pullkeeper.io/source-name", "pullkeeper.io/source-namespace", "pullkeeper.io/source-uid"]);
    // The provenance names the exact object copied (lib/provenance).
    expect(copy.metadata.annotations["pullkeeper.io/source-uid"]).toBe(src.body.metadata.uid);
    expect(res.secret.copyOf).toEqual({ namespace: "default", name: "all-icr-io", sourceFingerprint: res.secret.credentialFingerprint });
    expect(JSON.stringify(res)).not.toContain(CREDENTIAL_CANARY);
  });

  it("reads a source once for the copies that share a SourceReads, and again after a failed read", async () => {
    const g = h.gateway();
    const sources = new SourceReads();
    const from = { namespace: "default", name: "all-icr-io" };
    h.sim.resetStats();
    h.sim.setFaults({ errorRate: 1 });
    // A read the server failed is not kept: the next copy reads again.
    await expect(g.copySecret("c1", from, { namespace: "payments", name: "shared-0" }, { sources })).rejects.toMatchObject({ kind: "unavailable" });
    h.sim.setFaults({});
    const failedReads = h.sim.stats().byKey["get secrets"]!;
    h.sim.resetStats();
    const copies = await Promise.all(["shared-1", "shared-2", "shared-3"].map((name) => g.copySecret("c1", from, { namespace: "payments", name }, { sources })));
    expect(failedReads).toBeGreaterThanOrEqual(1);
    expect(h.sim.stats().byKey).toEqual({ "get secrets": 1, "create secrets": 3 });
    const src = (await rawGet(h.sim, secretPath("default", "all-icr-io"))).body;
    for (const copy of copies) expect(copy.secret.credentialFingerprint).toBe(copies[0]!.secret.credentialFingerprint);
    const stored = (await rawGet(h.sim, secretPath("payments", "shared-3"))).body;
    expect(stored.data).toEqual(src.data);
    expect(stored.metadata.annotations["pullkeeper.io/source-uid"]).toBe(src.metadata.uid);
    // Without one, each copy reads its source.
    h.sim.resetStats();
    await g.copySecret("c1", from, { namespace: "payments", name: "shared-4" });
    await g.copySecret("c1", from, { namespace: "payments", name: "shared-5" });
    expect(h.sim.stats().byKey["get secrets"]).toBe(2);
  });

  it("refuses to copy a secret that is not a pull secret", async () => {
    const e = await caught(() => h.gateway().copySecret("c1", { namespace: "default", name: "opaque" }, { namespace: "payments", name: "x" }));
    expect(e).toMatchObject({ kind: "invalid" });
    expect(String(e.message)).toContain("Opaque");
  });

  it("refreshes a copy with one read of each secret and one write, behind a fingerprint precondition", async () => {
    const g = h.gateway();
    const target = await g.createPullSecret("c1", { namespace: "payments", name: "rotate-me", dockerConfigJson: buildIamApiKeyDockerConfigJson({ apiKey: DEMO_CLUSTER_SERVICE_IDS.regional.revokedApiKey, domains: ["us.icr.io"] }) });
    const source = await g.createPullSecret("c1", { namespace: "payments", name: "rotate-source", dockerConfigJson: buildIamApiKeyDockerConfigJson({ apiKey: NEW_KEY, domains: ["us.icr.io"] }) });
    const from = { namespace: "payments", name: "rotate-source" };
    const to = { namespace: "payments", name: "rotate-me" };
    const before = (await rawGet(h.sim, secretPath("payments", "rotate-me"))).body;

    h.sim.resetStats();
    const stale = await caught(() => g.refreshSecretCopy("c1", from, to, { expectedFingerprint: "000000000000" }));
    expect(stale).toMatchObject({ kind: "conflict", transient: false });
    expect(h.sim.stats().byKey).toEqual({ "get secrets": 2 });
    expect((await rawGet(h.sim, secretPath("payments", "rotate-me"))).body.metadata.resourceVersion).toBe(before.metadata.resourceVersion);

    h.sim.resetStats();
    const refreshed = await g.refreshSecretCopy("c1", from, to, { expectedFingerprint: target.secret.credentialFingerprint ?? "", annotations: { "pullkeeper.io/operation-id": "op-1" } });
    expect(h.sim.stats().byKey).toEqual({ "get secrets": 2, "update secrets": 1 });
    expect(refreshed.secret.credentialFingerprint).toBe(source.secret.credentialFingerprint);
    expect(JSON.stringify(refreshed)).not.toContain(CREDENTIAL_CANARY);
    const stored = (await rawGet(h.sim, secretPath("payments", "rotate-me"))).body;
    const src = (await rawGet(h.sim, secretPath("payments", "rotate-source"))).body;
    expect(stored.data).toEqual(src.data);
    expect(stored.metadata.uid).toBe(before.metadata.uid);
    expect(stored.metadata.annotations).toMatchObject({ "pullkeeper.io/operation-id": "op-1", "pullkeeper.io/source-uid": src.metadata.uid, "pullkeeper.io/source-fingerprint": source.secret.credentialFingerprint, "pullkeeper.io/fingerprint": source.secret.credentialFingerprint });
  });

  it("keeps a legacy dockercfg secret's type when refreshing it", async () => {
    const source = await h.gateway().refreshSecretCopy("c1", { namespace: "team-a-web", name: "team-a-web-us-icr-io" }, { namespace: "payments", name: "old-cfg" });
    const stored = (await rawGet(h.sim, secretPath("payments", "old-cfg"))).body;
    expect(stored.type).toBe("kubernetes.io/dockercfg");
    expect(parsePullSecretData(stored).entries[0]?.registry).toBe("us.icr.io");
    const original = (await rawGet(h.sim, secretPath("team-a-web", "team-a-web-us-icr-io"))).body;
    expect(parsePullSecretData(stored).credentialFingerprint).toBe(parsePullSecretData(original).credentialFingerprint);
    expect(source.secret.type).toBe("kubernetes.io/dockercfg");
  });
});

describe("refreshSecretCopy when the target changes between its read and the write", () => {
  it("is refused by the server's resourceVersion precondition (409) and overwrites nothing", async () => {
    const target = "/api/v1/namespaces/payments/secrets/raced";
    let raced: Promise<{ status: number }> | undefined;
    const hr: Harness = await startHarness({
      onRequest: (r) => {
        if (r.path !== target) return;
        if (r.method === "PUT" && !raced) {
          // Hold Pullkeeper's PUT, and send someone else's write meanwhile.
          hr.sim.setFaults({ latencyMs: 1500 });
          raced = rawWrite(hr.sim, "PATCH", target, { metadata: { labels: { "changed-by": "someone-else" } } }, "application/merge-patch+json");
        } else if (r.method === "PATCH") {
          hr.sim.setFaults({}); // the other write goes through at once, while the PUT waits
        }
      },
    });
    try {
      const g = hr.gateway();
      await g.createPullSecret("c1", { namespace: "payments", name: "raced", dockerConfigJson: buildIamApiKeyDockerConfigJson({ apiKey: DEMO_CLUSTER_SERVICE_IDS.regional.revokedApiKey, domains: ["us.icr.io"] }) });
      const before = (await rawGet(hr.sim, target)).body;
      const e = await caught(() => g.refreshSecretCopy("c1", { namespace: "default", name: "all-icr-io" }, { namespace: "payments", name: "raced" }));
      expect((await raced)?.status).toBe(200);
      expect(e).toMatchObject({ kind: "conflict", transient: false, status: 409 });
      expect(e.message).toContain("nothing was written");
      const after = (await rawGet(hr.sim, target)).body;
      expect(after.metadata.labels["changed-by"]).toBe("someone-else");
      expect(after.data).toEqual(before.data);
    } finally {
      await hr.close();
    }
  });
});

describe("service account imagePullSecrets", () => {
  it("adds with dedupe and reports before/after; removing works the same way", async () => {
    const g = h.gateway();
    const first = await g.addImagePullSecrets("c1", "payments", "default", ["a", "b", "a"]);
    expect(first).toMatchObject({ before: ["missing-secret"], after: ["missing-secret", "a", "b"], changed: true });
    const again = await g.addImagePullSecrets("c1", "payments", "default", ["b"]);
    expect(again).toMatchObject({ changed: false, after: ["missing-secret", "a", "b"] });
    const removed = await g.removeImagePullSecrets("c1", "payments", "default", ["missing-secret", "a", "b"]);
    expect(removed).toMatchObject({ after: [], changed: true });
    expect((await rawGet(h.sim, saPath("payments", "default"))).body.imagePullSecrets).toBeUndefined();
  });

  it("two concurrent attaches to one service account both land, exactly once, through a real resourceVersion conflict", async () => {
    // Every answer is delayed, so both callers read the same resourceVersion before either writes:
    // the server refuses the second PUT (409), which is read again and retried.
    h.sim.setFaults({ latencyMs: 150 });
    try {
      const [first, second] = await Promise.all([h.gateway().addImagePullSecrets("c1", "team-a-web", "builder", ["web-one"]), h.gateway().addImagePullSecrets("c1", "team-a-web", "builder", ["web-two"])]);
      expect([first.attempts, second.attempts].sort()).toEqual([1, 2]);
    } finally {
      h.sim.setFaults({});
    }
    const stored: string[] = ((await rawGet(h.sim, saPath("team-a-web", "builder"))).body.imagePullSecrets ?? []).map((r: { name: string }) => r.name);
    expect([...stored].sort()).toEqual(["web-one", "web-two"]);
  });

  it("keeps every entry exactly once under concurrent callers, with conflicts injected", async () => {
    h.sim.setFaults({ conflictRate: 0.2, seed: 3 });
    try {
      // 24 writers on one account: each round of collisions lets at least one through, so the default 5 attempts can
      // run out for the unluckiest writer when a loaded machine stretches the rounds; enough attempts for every writer.
      const contended = { concurrency: 8, retry: { attempts: 30 } };
      const g1 = h.gateway("admin", contended);
      const g2 = h.gateway("admin", contended);
      const names = Array.from({ length: 12 }, (_, i) => `s${i}`);
      const calls = names.flatMap((n, i) => [(i % 2 ? g1 : g2).addImagePullSecrets("c1", "team-a-api", "default", [n]), g1.addImagePullSecrets("c1", "team-a-api", "default", [n, "shared"])]);
      const results = await Promise.all(calls);
      expect(results.some((r) => r.attempts > 1)).toBe(true);
      const stored: string[] = ((await rawGet(h.sim, saPath("team-a-api", "default"))).body.imagePullSecrets ?? []).map((r: { name: string }) => r.name);
      expect([...stored].sort()).toEqual([...names, "shared"].sort());
    } finally {
      h.sim.setFaults({});
    }
  });
});

describe("service account imagePullSecrets from a known read (one PATCH, resourceVersion precondition)", () => {
  const readAccount = async (ns: string, name: string) => {
    const body = (await rawGet(h.sim, saPath(ns, name))).body;
    return { resourceVersion: body.metadata.resourceVersion as string, imagePullSecrets: (body.imagePullSecrets ?? []).map((r: { name: string }) => r.name) as string[] };
  };

  it("writes with one request when the account is as read", async () => {
    const known = await readAccount("team-a-web", "default");
    h.sim.resetStats();
    const change = await h.gateway().addImagePullSecrets("c1", "team-a-web", "default", ["known-one", "known-one"], known);
    expect(h.sim.stats().byKey).toEqual({ "patch serviceaccounts": 1 });
    expect(change).toMatchObject({ before: known.imagePullSecrets, after: [...known.imagePullSecrets, "known-one"], changed: true, attempts: 1 });
    expect((await readAccount("team-a-web", "default")).imagePullSecrets).toEqual([...known.imagePullSecrets, "known-one"]);
  });

  it("loses nothing a kubectl patch wrote between the read and the write: the server refuses the stale resourceVersion, the account is read again", async () => {
    const known = await readAccount("team-a-web", "default");
    // Someone else appends an entry after the plan's read (real kubectl, a JSON patch).
    const kubeconfig = h.kubeconfigFor("admin");
    await new Promise<void>((resolve, reject) =>
      execFile("/usr/lib/google-cloud-sdk/bin/kubectl.1.29", ["patch", "-n", "team-a-web", "serviceaccount/default", "--type=json", "-p", '[{"op":"add","path":"/imagePullSecrets/-","value":{"name":"outside"}}]'], { env: { ...process.env, KUBECONFIG: kubeconfig, HOME: h.dir } }, (error, _out, stderr) => (error ? reject(new Error(stderr)) : resolve())),
    );
    h.sim.resetStats();
    const change = await h.gateway().addImagePullSecrets("c1", "team-a-web", "default", ["mine", "outside"], known);
    // The first PATCH met a 409 (nothing written), then one GET and one PATCH from the fresh state.
    expect(h.sim.stats().byKey).toEqual({ "patch serviceaccounts": 2, "get serviceaccounts": 1 });
    expect(change).toMatchObject({ changed: true, attempts: 2, before: [...known.imagePullSecrets, "outside"] });
    const stored = (await readAccount("team-a-web", "default")).imagePullSecrets;
    expect(stored).toEqual([...known.imagePullSecrets, "outside", "mine"]);
  });

  it("removes from a known read, down to no field at all", async () => {
    const known = await readAccount("team-a-web", "default");
    const change = await h.gateway().removeImagePullSecrets("c1", "team-a-web", "default", known.imagePullSecrets, known);
    expect(change).toMatchObject({ after: [], changed: true, attempts: 1 });
    expect((await rawGet(h.sim, saPath("team-a-web", "default"))).body.imagePullSecrets).toBeUndefined();
  });
});

describe("deployments", () => {
  it("rewrites legacy images in containers and initContainers", async () => {
    const res = await h.gateway().setDeploymentImages("c1", { namespace: "team-a-web", name: "web" }, rewriteLegacyImage);
    expect(res.changes).toEqual([
      { container: "init", init: true, before: "registry.ng.bluemix.net/team/init:1", after: "us.icr.io/team/init:1" },
      { container: "web", init: false, before: "registry.ng.bluemix.net/team/web:2", after: "us.icr.io/team/web:2" },
    ]);
    const dep = (await rawGet(h.sim, "/apis/apps/v1/namespaces/team-a-web/deployments/web")).body;
    expect(dep.spec.template.spec.initContainers[0].image).toBe("us.icr.io/team/init:1");
    expect(dep.spec.template.spec.containers.map((c: { image: string }) => c.image)).toEqual(["us.icr.io/team/web:2", "nginx:1.25"]);
    const none = await h.gateway().setDeploymentImages("c1", { namespace: "team-a-web", name: "web" }, rewriteLegacyImage);
    expect(none.changes).toEqual([]);
  });

  it("restarts like kubectl rollout restart", async () => {
    const at = new Date("2025-03-04T05:06:07.890Z");
    const res = await h.gateway().restartWorkload("c1", { kind: "Deployment", namespace: "team-a-web", name: "web" }, { at });
    expect(res.restartedAt).toBe("2025-03-04T05:06:07Z");
    const dep = (await rawGet(h.sim, "/apis/apps/v1/namespaces/team-a-web/deployments/web")).body;
    expect(dep.spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]).toBe("2025-03-04T05:06:07Z");
    expect(dep.spec.template.metadata.labels).toEqual({ app: "web" });
  });
});

describe("deleteSecret, canI, credentials", () => {
  it("deletes only Pullkeeper-managed secrets unless forced", async () => {
    const g = h.gateway();
    const refused = await caught(() => g.deleteSecret("c1", { namespace: "default", name: "bluemix-default-secret" }));
    expect(refused).toMatchObject({ kind: "forbidden" });
    expect((await rawGet(h.sim, secretPath("default", "bluemix-default-secret"))).status).toBe(200);
    await g.createPullSecret("c1", { namespace: "team-a-api", name: "to-delete", dockerConfigJson: buildIamApiKeyDockerConfigJson({ apiKey: NEW_KEY, domains: ["us.icr.io"] }) });
    expect(await g.deleteSecret("c1", { namespace: "team-a-api", name: "to-delete" })).toEqual({ deleted: true });
    expect((await rawGet(h.sim, secretPath("team-a-api", "to-delete"))).status).toBe(404);
  });

  it("answers access checks with SelfSubjectAccessReview", async () => {
    expect((await h.gateway().canI("c1", { verb: "create", resource: "secrets", namespace: "default" })).allowed).toBe(true);
    const teamA = h.gateway("team-a");
    expect((await teamA.canI("c1", { verb: "create", resource: "secrets", namespace: "default" })).allowed).toBe(false);
    expect((await teamA.canI("c1", { verb: "patch", resource: "serviceaccounts", namespace: "team-a-web" })).allowed).toBe(true);
    expect((await teamA.canI("c1", { verb: "update", resource: "deployments", namespace: "team-a-web" })).allowed).toBe(true);
  });

  it("hands credentials to a callback only", async () => {
    const users = await h.gateway().withPullSecretCredentials("c1", { namespace: "default", name: "all-icr-io" }, async (creds) => {
      expect(creds.every((c) => c.password.includes(CREDENTIAL_CANARY))).toBe(true);
      return creds.map((c) => `${c.registry}:${c.username}:${c.credentialKind}`);
    });
    expect(users).toEqual(["icr.io:iamapikey:iam-api-key", "us.icr.io:iamapikey:iam-api-key", "de.icr.io:iamapikey:iam-api-key"]);
  });
});
