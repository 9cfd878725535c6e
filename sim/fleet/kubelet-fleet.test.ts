import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoFleet, type DemoFleet } from "./index";
import { startIbmCloudSim, type IbmCloudSim } from "../ibm-cloud";
import { DEMO_CLUSTER_SERVICE_IDS } from "../demo-credentials";
import type { KubeSim } from "../kube";

/**
 * The regional demo cluster with the simulated kubelet: its failing workloads
 * fail for the real reason, stay failing after a wrong fix, and recover after
 * a right one; its stale-credential workloads keep running from the node cache.
 */

const { apiKey, revokedApiKey } = DEMO_CLUSTER_SERVICE_IDS.regional;
const secret = (ns: string, name: string, key: string) => ({
  metadata: { name, namespace: ns },
  type: "kubernetes.io/dockerconfigjson",
  data: { ".dockerconfigjson": Buffer.from(JSON.stringify({ auths: { "us.icr.io": { username: "iamapikey", password: key } } })).toString("base64") },
});

let ibm: IbmCloudSim;
let fleet: DemoFleet;
let sim: KubeSim;

async function call(method: string, path: string, body?: unknown, type = "application/json"): Promise<any> {
  const res = await fetch(sim.url + path, { method, headers: { Authorization: `Bearer ${sim.tokens.admin}`, "Content-Type": type }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}
const pods = async (ns: string) => (await call("GET", `/api/v1/namespaces/${ns}/pods`)).items as any[];
const waitingMessage = (p: any) => p.status.containerStatuses[0].state.waiting?.message ?? "";

async function until<T>(what: string, fn: () => Promise<T | false | undefined>, ms = 8_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
const restart = (ns: string, name: string) =>
  call("PATCH", `/apis/apps/v1/namespaces/${ns}/deployments/${name}`, { spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": new Date().toISOString() } } } } }, "application/strategic-merge-patch+json");

beforeAll(async () => {
  ibm = await startIbmCloudSim({ port: 0, seed: true });
  fleet = await startDemoFleet({ clusters: ["regional"], tls: false, kubelet: { registryUrlTemplate: ibm.registryUrlTemplate, backOffInitialMs: 100, backOffMaxMs: 200 } });
  sim = fleet.sims[0]!;
});
afterAll(async () => {
  await fleet?.close();
  await ibm?.close();
});

describe("regional demo cluster with the kubelet", () => {
  it("retries the seeded failing pods for real: no credential for us.icr.io", async () => {
    const [p] = await until("a real pull error", async () => {
      const list = await pods("ml-training");
      return list.every((x) => waitingMessage(x).includes("401 Unauthorized")) && list;
    });
    expect(waitingMessage(p)).toContain("unexpected status from HEAD request to https://us.icr.io/v2/data/trainer/manifests/0.4.0: 401 Unauthorized");
  });

  it("keeps pods with stale copies running from the node cache (a latent failure)", async () => {
    const list = await pods("checkout");
    expect(list.length).toBe(2);
    expect(list.every((p) => p.status.phase === "Running")).toBe(true);
  });

  it("stays failing after a wrong fix (a revoked key) and recovers after the right one", async () => {
    await call("POST", "/api/v1/namespaces/ml-training/secrets", secret("ml-training", "ml-training-us-icr-io", revokedApiKey));
    await call("PATCH", "/api/v1/namespaces/ml-training/serviceaccounts/default", { imagePullSecrets: [{ name: "ml-training-us-icr-io" }] }, "application/strategic-merge-patch+json");
    await restart("ml-training", "trainer");
    await until("the restarted pod rejected", async () => {
      const list = await pods("ml-training");
      return list.some((p) => p.spec.imagePullSecrets && waitingMessage(p).includes("failed to fetch oauth token"));
    });
    await call("PUT", "/api/v1/namespaces/ml-training/secrets/ml-training-us-icr-io", secret("ml-training", "ml-training-us-icr-io", apiKey));
    const running = await until("trainer running", async () => {
      const list = await pods("ml-training");
      return list.length === 1 && list[0].status.phase === "Running" && list;
    });
    expect(running[0].spec.imagePullSecrets).toEqual([{ name: "ml-training-us-icr-io" }]);
  });

  it("recovers web-staging without a restart once the secret its pods were admitted with exists", async () => {
    const before = await pods("web-staging");
    expect(before[0].spec.imagePullSecrets).toEqual([{ name: "web-staging-us-icr-io" }]);
    await call("POST", "/api/v1/namespaces/web-staging/secrets", secret("web-staging", "web-staging-us-icr-io", apiKey));
    const after = await until("storefront running", async () => {
      const list = await pods("web-staging");
      return list.every((p) => p.status.phase === "Running") && list;
    });
    expect(after.map((p) => p.metadata.uid)).toEqual(before.map((p) => p.metadata.uid));
  });
});
