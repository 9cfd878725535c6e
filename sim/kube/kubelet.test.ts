import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeSim, type KubeSim } from "./index";
import { adminCaller, iamApiKeyDockerConfig } from "./test-client";
import { startIbmCloudSim, type IbmCloudSim } from "../ibm-cloud";
import { DEMO_CLUSTER_SERVICE_IDS } from "../demo-credentials";

/**
 * The workload controller and kubelet over HTTP, pulling from the IBM Cloud
 * simulator's registries: failures with containerd's words, recovery only
 * through the pod's own admitted pull secrets, and rollout restarts.
 */

const { apiKey, revokedApiKey } = DEMO_CLUSTER_SERVICE_IDS.regional;
const dockerConfig = iamApiKeyDockerConfig;
const pullSecret = (ns: string, name: string, key: string) => ({
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name, namespace: ns },
  type: "kubernetes.io/dockerconfigjson",
  data: { ".dockerconfigjson": dockerConfig("us.icr.io", key) },
});
const deployment = (ns: string, name: string, image: string, replicas = 1) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace: ns },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image }] } } },
});

let ibm: IbmCloudSim;
let kube: KubeSim;

const call = adminCaller(() => kube);

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 8_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last as T;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const pods = async (ns: string, app: string) => (await call("GET", `/api/v1/namespaces/${ns}/pods?labelSelector=app%3D${app}`)).items as any[];
const waiting = (p: any) => p.status?.containerStatuses?.[0]?.state?.waiting;

beforeAll(async () => {
  ibm = await startIbmCloudSim({ port: 0, seed: true });
  kube = await startKubeSim({
    name: "kubelet-test",
    tls: false,
    objects: [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } },
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "cached" } },
    ],
    kubelet: {
      registryUrlTemplate: ibm.registryUrlTemplate,
      backOffInitialMs: 150,
      backOffMaxMs: 300,
      nodes: ["node-a"],
      nodeImages: { "node-a": ["us.icr.io/team/cached:1"] },
      missingImages: ["us.icr.io/team/app:does-not-exist"],
    },
  });
});
afterAll(async () => {
  await kube?.close();
  await ibm?.close();
});

describe("simulated kubelet", () => {
  it("creates a Deployment's pods and fails a private pull without credentials, with containerd's words and Events", async () => {
    await call("POST", "/apis/apps/v1/namespaces/shop/deployments", deployment("shop", "web", "us.icr.io/team/web:1", 2));
    const failing = await until("two failing pods", async () => {
      const list = await pods("shop", "web");
      return list.length === 2 && list.every((p) => waiting(p)?.reason === "ImagePullBackOff") && list;
    });
    const pod = failing[0];
    expect(pod.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{1,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(pod.metadata.ownerReferences[0]).toMatchObject({ kind: "ReplicaSet", controller: true, name: `web-${pod.metadata.labels["pod-template-hash"]}` });
    expect(pod.spec.nodeName).toBe("node-a");
    expect(pod.status.phase).toBe("Pending");
    expect(waiting(pod).message).toBe('Back-off pulling image "us.icr.io/team/web:1"');
    const events = (await call("GET", `/api/v1/namespaces/shop/events?fieldSelector=involvedObject.name%3D${pod.metadata.name}`)).items as any[];
    const failed = events.find((e) => e.reason === "Failed" && e.message.startsWith("Failed to pull image"));
    expect(failed).toMatchObject({ type: "Warning", source: { component: "kubelet", host: "node-a" }, involvedObject: { kind: "Pod", name: pod.metadata.name, uid: pod.metadata.uid } });
    expect(failed.message).toBe(
      'Failed to pull image "us.icr.io/team/web:1": rpc error: code = Unknown desc = failed to pull and unpack image "us.icr.io/team/web:1": failed to resolve reference "us.icr.io/team/web:1": unexpected status from HEAD request to https://us.icr.io/v2/team/web/manifests/1: 401 Unauthorized',
    );
    expect(events.some((e) => e.reason === "BackOff" && e.type === "Normal")).toBe(true);
    expect(events.some((e) => e.reason === "Failed" && e.message === "Error: ImagePullBackOff")).toBe(true);
  });

  it("keeps failing after the service account is fixed, and runs after a rollout restart", async () => {
    await call("POST", "/api/v1/namespaces/shop/secrets", pullSecret("shop", "shop-us-icr-io", apiKey));
    await call("PATCH", "/api/v1/namespaces/shop/serviceaccounts/default", { imagePullSecrets: [{ name: "shop-us-icr-io" }] }, "application/strategic-merge-patch+json");
    const before = await pods("shop", "web");
    await new Promise((r) => setTimeout(r, 700)); // several back-offs: the admitted pods have no pull secrets
    const still = await pods("shop", "web");
    expect(still.map((p) => p.metadata.uid).sort()).toEqual(before.map((p) => p.metadata.uid).sort());
    expect(still.every((p) => waiting(p)?.reason === "ErrImagePull" || waiting(p)?.reason === "ImagePullBackOff")).toBe(true);
    expect(still.every((p) => p.spec.imagePullSecrets === undefined)).toBe(true);
    const restartedAt = new Date().toISOString();
    await call("PATCH", "/apis/apps/v1/namespaces/shop/deployments/web", { spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": restartedAt } } } } }, "application/strategic-merge-patch+json");
    const running = await until("restarted pods running", async () => {
      const list = await pods("shop", "web");
      return list.length === 2 && list.every((p) => p.status.phase === "Running" && !before.some((b) => b.metadata.uid === p.metadata.uid)) && list;
    });
    expect(running[0].spec.imagePullSecrets).toEqual([{ name: "shop-us-icr-io" }]);
    expect(running[0].status.containerStatuses[0]).toMatchObject({ ready: true, started: true, state: { running: {} } });
    expect(running[0].status.conditions.find((c: any) => c.type === "Ready").status).toBe("True");
    const d = await until("deployment status", async () => {
      const dep = await call("GET", "/apis/apps/v1/namespaces/shop/deployments/web");
      return dep.status.readyReplicas === 2 && dep.status.updatedReplicas === 2 && dep;
    });
    expect(d.status.conditions.find((c: any) => c.type === "Available").status).toBe("True");
  });

  it("recovers a pod with a rejected credential when its own secret is fixed, without a restart", async () => {
    await call("POST", "/api/v1/namespaces/shop/secrets", pullSecret("shop", "stale", revokedApiKey));
    await call("POST", "/api/v1/namespaces/shop/pods", {
      metadata: { name: "stale-pod", labels: { app: "stale" } },
      spec: { imagePullSecrets: [{ name: "stale" }], containers: [{ name: "app", image: "us.icr.io/team/app:1" }] },
    });
    const failing = await until("rejected pull", async () => {
      const [p] = await pods("shop", "stale");
      return p && waiting(p)?.reason === "ErrImagePull" && p;
    });
    expect(waiting(failing).message).toBe(
      'rpc error: code = Unknown desc = failed to pull and unpack image "us.icr.io/team/app:1": failed to resolve reference "us.icr.io/team/app:1": failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://us.icr.io/oauth/token?scope=repository%3Ateam%2Fapp%3Apull&service=registry: 401 Unauthorized',
    );
    await call("PUT", "/api/v1/namespaces/shop/secrets/stale", pullSecret("shop", "stale", apiKey));
    const running = await until("recovered pod", async () => {
      const [p] = await pods("shop", "stale");
      return p?.status.phase === "Running" && p;
    });
    expect(running.metadata.uid).toBe(failing.metadata.uid);
  });

  it("starts a cached IfNotPresent image without credentials, pulls public images, and reports a missing tag", async () => {
    const create = (name: string, image: string, extra: Record<string, unknown> = {}) =>
      call("POST", "/api/v1/namespaces/cached/pods", { metadata: { name, labels: { app: name } }, spec: { containers: [{ name: "c", image, ...extra }] } });
    await create("latent", "us.icr.io/team/cached:1");
    await create("always", "us.icr.io/team/cached:1", { imagePullPolicy: "Always" });
    await create("public", "nginx:1.27");
    await call("POST", "/api/v1/namespaces/cached/secrets", pullSecret("cached", "good", apiKey));
    await call("POST", "/api/v1/namespaces/cached/pods", {
      metadata: { name: "missing", labels: { app: "missing" } },
      spec: { imagePullSecrets: [{ name: "good" }], containers: [{ name: "c", image: "us.icr.io/team/app:does-not-exist" }] },
    });
    await until("latent pod running", async () => (await pods("cached", "latent"))[0]?.status.phase === "Running");
    await until("public pod running", async () => (await pods("cached", "public"))[0]?.status.phase === "Running");
    const always = await until("always pull fails", async () => {
      const [p] = await pods("cached", "always");
      return waiting(p)?.reason === "ErrImagePull" && p;
    });
    expect(waiting(always).message).toContain("401 Unauthorized");
    const events = (await call("GET", "/api/v1/namespaces/cached/events?fieldSelector=involvedObject.name%3Dlatent")).items as any[];
    expect(events.map((e) => e.message)).toContain('Container image "us.icr.io/team/cached:1" already present on machine');
    const missing = await until("missing tag", async () => {
      const [p] = await pods("cached", "missing");
      return waiting(p)?.reason === "ErrImagePull" && p;
    });
    expect(waiting(missing).message).toBe(
      'rpc error: code = NotFound desc = failed to pull and unpack image "us.icr.io/team/app:does-not-exist": failed to resolve reference "us.icr.io/team/app:does-not-exist": us.icr.io/team/app:does-not-exist: not found',
    );
  });

  it("keeps the pull error in the back-off message from 1.32, and lets a verifier decide pulls", async () => {
    const checks: string[] = [];
    const v132 = await startKubeSim({
      name: "kubelet-132",
      tls: false,
      serverVersion: { major: "1", minor: "32", gitVersion: "v1.32.2+IKS" },
      kubelet: {
        backOffInitialMs: 150,
        pullVerifier: async (c) => {
          checks.push(`${c.domain} ${c.credentials.length}`);
          return { ok: false, detail: "unexpected status from HEAD request to https://registry.example.com/v2/app/manifests/1: 401 Unauthorized" };
        },
      },
    });
    try {
      const res = await fetch(`${v132.url}/api/v1/namespaces/default/pods`, {
        method: "POST",
        headers: { Authorization: `Bearer ${v132.tokens.admin}`, "Content-Type": "application/json" },
        body: JSON.stringify({ metadata: { name: "p" }, spec: { containers: [{ name: "c", image: "registry.example.com/app:1" }] } }),
      });
      expect(res.status).toBe(201);
      const pod = await until("back-off with the cause", async () => {
        const p = await (await fetch(`${v132.url}/api/v1/namespaces/default/pods/p`, { headers: { Authorization: `Bearer ${v132.tokens.admin}` } })).json();
        return waiting(p)?.reason === "ImagePullBackOff" && p;
      });
      expect(waiting(pod).message).toBe(
        'Back-off pulling image "registry.example.com/app:1": ErrImagePull: rpc error: code = Unknown desc = failed to pull and unpack image "registry.example.com/app:1": failed to resolve reference "registry.example.com/app:1": unexpected status from HEAD request to https://registry.example.com/v2/app/manifests/1: 401 Unauthorized',
      );
      expect(checks[0]).toBe("registry.example.com 0");
    } finally {
      await v132.close();
    }
  });
});
