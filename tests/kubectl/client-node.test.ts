import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiException, AppsV1Api, CoreV1Api, KubeConfig, PatchStrategy, makeInformer, setHeaderOptions, type V1Secret } from "@kubernetes/client-node";
import { startKubeSim, type KubeSim } from "@/sim/kube";
import { demoClusterSpec } from "@/sim/fleet";

/** @kubernetes/client-node 1.x (the adapter's client) against the simulator over HTTPS with the generated CA. */

let sim: KubeSim;
let core: CoreV1Api;
let apps: AppsV1Api;
let kc: KubeConfig;

const clientFor = (user: string) => {
  const c = new KubeConfig();
  c.loadFromString(sim.kubeconfig({ user }));
  return c.makeApiClient(CoreV1Api);
};

/** The control endpoint over HTTPS, trusting the simulator's CA. */
function control(path: string, token: string, body?: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${sim.url}${path}`, { method: body ? "POST" : "GET", ca: sim.caPem!, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on("error", reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return 0;
  } catch (e) {
    if (e instanceof ApiException) return e.code;
    throw e;
  }
};

beforeAll(async () => {
  sim = await startKubeSim({ name: "client-node", objects: demoClusterSpec("regional").objects });
  kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfig());
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
});
afterAll(async () => {
  await sim?.close();
});

describe("@kubernetes/client-node against the simulator", () => {
  it("verifies the server certificate with certificate-authority-data and lists across namespaces", async () => {
    expect(kc.getCurrentCluster()?.skipTLSVerify).toBeFalsy();
    const list = await core.listSecretForAllNamespaces({ fieldSelector: "type=kubernetes.io/dockerconfigjson" });
    expect(list.items.length).toBeGreaterThan(10);
    expect(list.items.every((s) => s.type === "kubernetes.io/dockerconfigjson")).toBe(true);
    const deployments = await apps.listDeploymentForAllNamespaces({ labelSelector: "team=web" });
    expect(deployments.items.map((d) => d.metadata?.namespace).sort()).toEqual(["qa", "web-frontend", "web-staging"]);
  });

  it("pages with limit and continue", async () => {
    const seen: string[] = [];
    let cont: string | undefined;
    do {
      const page = await core.listNamespace({ limit: 4, _continue: cont });
      seen.push(...page.items.map((n) => n.metadata!.name!));
      cont = page.metadata?._continue;
      if (cont) expect(page.items).toHaveLength(4);
    } while (cont);
    const all = (await core.listNamespace()).items.map((n) => n.metadata!.name!);
    expect(seen).toEqual(all);
  });

  it("creates a secret without kind/apiVersion, merges stringData, and rejects a stale update with 409", async () => {
    const created = await core.createNamespacedSecret({ namespace: "sandbox", body: { metadata: { name: "cn-1" }, stringData: { a: "b" } } });
    expect(created.type).toBe("Opaque");
    expect(created.data).toEqual({ a: Buffer.from("b").toString("base64") });
    const stale: V1Secret = { ...created, data: { a: "eA==" } };
    await core.replaceNamespacedSecret({ name: "cn-1", namespace: "sandbox", body: { ...created, data: { a: "eQ==" } } });
    expect(await codeOf(core.replaceNamespacedSecret({ name: "cn-1", namespace: "sandbox", body: stale }))).toBe(409);
    expect(await codeOf(core.createNamespacedSecret({ namespace: "sandbox", body: { metadata: { name: "cn-1" } } }))).toBe(409);
    expect(await codeOf(core.createNamespacedSecret({ namespace: "nope", body: { metadata: { name: "x" } } }))).toBe(404);
  });

  it("patches service accounts with each content type", async () => {
    const base = { name: "default", namespace: "sandbox" };
    // Default content type is JSON Patch; an object body is a 400 as on a real server.
    expect(await codeOf(core.patchNamespacedServiceAccount({ ...base, body: { imagePullSecrets: [] } }))).toBe(400);
    await core.patchNamespacedServiceAccount({ ...base, body: [{ op: "add", path: "/imagePullSecrets", value: [{ name: "a" }] }] });
    await core.patchNamespacedServiceAccount({ ...base, body: { imagePullSecrets: [{ name: "b" }] } }, setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch));
    let sa = await core.readNamespacedServiceAccount(base);
    expect(sa.imagePullSecrets).toEqual([{ name: "b" }]);
    await core.patchNamespacedServiceAccount({ ...base, body: { metadata: { labels: { x: "y" } } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
    sa = await core.readNamespacedServiceAccount(base);
    expect(sa.metadata?.labels).toEqual({ x: "y" });
    const precondition = [{ op: "test", path: "/metadata/resourceVersion", value: "1" }, { op: "add", path: "/imagePullSecrets/-", value: { name: "c" } }];
    expect(await codeOf(core.patchNamespacedServiceAccount({ ...base, body: precondition }))).toBe(422);
  });

  it("maps auth failures: 401 without body, 403 for a forbidden list", async () => {
    const bad = new KubeConfig();
    bad.loadFromString(sim.kubeconfig().replace(/token: ".*"/, 'token: "nope"'));
    try {
      await bad.makeApiClient(CoreV1Api).listNamespace();
      expect.unreachable();
    } catch (e) {
      expect((e as ApiException<unknown>).code).toBe(401);
    }
    const teamA = clientFor("team-a");
    try {
      await teamA.listSecretForAllNamespaces();
      expect.unreachable();
    } catch (e) {
      const body = JSON.parse(String((e as ApiException<string>).body));
      expect(body).toMatchObject({ reason: "Forbidden", code: 403, message: 'secrets is forbidden: User "team-a" cannot list resource "secrets" in API group "" at the cluster scope' });
    }
    const viewer = clientFor("no-secrets");
    expect(await codeOf(viewer.listNamespacedSecret({ namespace: "default" }))).toBe(403);
    expect((await viewer.listNamespacedServiceAccount({ namespace: "default" })).items.length).toBe(1);
  });

  it("injects 429 with Retry-After, forced conflicts and counts requests", async () => {
    sim.resetStats();
    sim.setFaults({ rateLimitNext: 1, retryAfterSeconds: 7, conflictNext: 1 });
    try {
      await core.listNamespace();
      expect.unreachable();
    } catch (e) {
      expect((e as ApiException<string>).code).toBe(429);
      expect((e as ApiException<string>).headers["retry-after"]).toBe("7");
    }
    await core.listNamespace();
    const body = [{ op: "add", path: "/metadata/labels", value: { a: "b" } }];
    expect(await codeOf(core.patchNamespacedServiceAccount({ name: "default", namespace: "qa", body }))).toBe(409);
    expect(await codeOf(core.patchNamespacedServiceAccount({ name: "default", namespace: "qa", body }))).toBe(0);
    sim.setFaults({});
    expect(sim.stats().byKey).toMatchObject({ "list namespaces": 2, "patch serviceaccounts": 2 });
    const remote = await control("/_sim/stats", sim.controlToken);
    expect(remote.status).toBe(200);
    expect(JSON.parse(remote.body).byKey["list namespaces"]).toBe(2);
    expect((await control("/_sim/stats", sim.tokens.admin!)).status).toBe(401);
    expect((await control("/_sim/faults", sim.controlToken, { latencyMs: 1 })).body).toBe('{"latencyMs":1}');
    sim.setFaults({});
  });

  it("injects 500/503 errors and dropped connections on resource requests only", async () => {
    sim.setFaults({ errorRate: 1, seed: 3 });
    const codes = new Set<number>();
    for (let i = 0; i < 8; i++) codes.add(await codeOf(core.listNamespace()));
    expect([...codes].sort()).toEqual([500, 503]);
    sim.setFaults({ dropRate: 1 });
    await expect(core.listNamespace()).rejects.toThrow();
    expect((await control("/_sim/state", sim.controlToken)).status).toBe(200);
    sim.setFaults({ latencyMs: 150 });
    const started = Date.now();
    await core.listNamespace();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    sim.setFaults({});
  });

  it("persists state to a state file and loads it on the next start", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kube-sim-state-")), "state.json");
    const first = await startKubeSim({ name: "stateful", tls: false, stateFile: file });
    const c1 = new KubeConfig();
    c1.loadFromString(first.kubeconfig());
    await c1.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: "kept", labels: { a: "b" } } } });
    await first.close();
    const second = await startKubeSim({ name: "stateful", tls: false, stateFile: file });
    const c2 = new KubeConfig();
    c2.loadFromString(second.kubeconfig());
    const kept = await c2.makeApiClient(CoreV1Api).readNamespace({ name: "kept" });
    expect(kept.metadata?.labels).toMatchObject({ a: "b" });
    expect((await c2.makeApiClient(CoreV1Api).readNamespacedServiceAccount({ name: "default", namespace: "kept" })).metadata?.name).toBe("default");
    await second.close();
  });

  it("streams watch events to an informer", async () => {
    const path = "/api/v1/namespaces/sandbox/secrets";
    const informer = makeInformer(kc, path, () => core.listNamespacedSecret({ namespace: "sandbox" }));
    const events: string[] = [];
    informer.on("add", (s) => events.push(`add ${s.metadata?.name}`));
    informer.on("update", (s) => events.push(`update ${s.metadata?.name}`));
    informer.on("delete", (s) => events.push(`delete ${s.metadata?.name}`));
    await informer.start();
    await core.createNamespacedSecret({ namespace: "sandbox", body: { metadata: { name: "watched" }, stringData: { k: "v" } } });
    await core.patchNamespacedSecret({ name: "watched", namespace: "sandbox", body: [{ op: "add", path: "/metadata/labels", value: { a: "b" } }] });
    await core.deleteNamespacedSecret({ name: "watched", namespace: "sandbox" });
    await expect.poll(() => events.filter((e) => e.endsWith(" watched")), { timeout: 5000 }).toEqual(["add watched", "update watched", "delete watched"]);
    await informer.stop();
  });
});
