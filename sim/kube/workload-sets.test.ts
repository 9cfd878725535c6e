import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeSim, type KubeSim } from "./index";
import { adminCaller, iamApiKeyDockerConfig } from "./test-client";
import { startIbmCloudSim, type IbmCloudSim } from "../ibm-cloud";
import { DEMO_CLUSTER_SERVICE_IDS } from "../demo-credentials";

/**
 * StatefulSets and DaemonSets over HTTP, pulling from the IBM Cloud
 * simulator's registry: stable and per-node pods, admission of the service
 * account's pull secrets, rolling restarts, and the OrderedReady stall a pod in
 * ImagePullBackOff causes until it is deleted.
 */

const { apiKey } = DEMO_CLUSTER_SERVICE_IDS.regional;
const dockerConfig = iamApiKeyDockerConfig;
const HASH = /[bcdfghjklmnpqrstvwxz2456789]{1,10}/.source;
const SUFFIX = /[bcdfghjklmnpqrstvwxz2456789]{5}/.source;

let ibm: IbmCloudSim;
let kube: KubeSim;

const call = adminCaller(() => kube);

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 8_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const last = await fn();
    if (last) return last as T;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const workload = (kind: "StatefulSet" | "DaemonSet", ns: string, name: string, image: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: "apps/v1",
  kind,
  metadata: { name, namespace: ns },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image }] } }, ...spec },
});
const pods = async (ns: string, app: string) => (await call("GET", `/api/v1/namespaces/${ns}/pods?labelSelector=app%3D${app}`)).items as any[];
const waiting = (p: any) => p.status?.containerStatuses?.[0]?.state?.waiting;
const restart = (ns: string, plural: string, name: string) =>
  call("PATCH", `/apis/apps/v1/namespaces/${ns}/${plural}/${name}`, { spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": new Date().toISOString() } } } } }, "application/strategic-merge-patch+json");
const attachPullSecret = async (ns: string) => {
  await call("POST", `/api/v1/namespaces/${ns}/secrets`, { metadata: { name: "icr" }, type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": dockerConfig("us.icr.io", apiKey) } });
  await call("PATCH", `/api/v1/namespaces/${ns}/serviceaccounts/default`, { imagePullSecrets: [{ name: "icr" }] }, "application/strategic-merge-patch+json");
};

beforeAll(async () => {
  ibm = await startIbmCloudSim({ port: 0, seed: true });
  kube = await startKubeSim({
    name: "sets-test",
    tls: false,
    serverVersion: { major: "1", minor: "30", gitVersion: "v1.30.4+IKS" },
    objects: ["db", "par", "agents", "bad"].map((name) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } })),
    kubelet: { registryUrlTemplate: ibm.registryUrlTemplate, backOffInitialMs: 150, backOffMaxMs: 300, nodes: ["node-a", "node-b"] },
  });
});
afterAll(async () => {
  await kube?.close();
  await ibm?.close();
});

describe("StatefulSets", () => {
  it("creates ordinal pods in order, stops at one that cannot pull, and a restart alone does not replace it", async () => {
    const created = await call("POST", "/apis/apps/v1/namespaces/db/statefulsets", workload("StatefulSet", "db", "pg", "us.icr.io/team/pg:1", { replicas: 2, serviceName: "pg" }));
    expect(created.spec).toMatchObject({ podManagementPolicy: "OrderedReady", updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } }, revisionHistoryLimit: 10 });
    expect(created.metadata.generation).toBe(1);
    const [stuck] = await until("pg-0 in back-off", async () => {
      const list = await pods("db", "pg");
      return list.length === 1 && waiting(list[0])?.reason === "ImagePullBackOff" && list;
    });
    expect(stuck.metadata.name).toBe("pg-0");
    expect(stuck.metadata.labels).toMatchObject({ app: "pg", "statefulset.kubernetes.io/pod-name": "pg-0", "apps.kubernetes.io/pod-index": "0" });
    expect(stuck.metadata.labels["controller-revision-hash"]).toMatch(new RegExp(`^pg-${HASH}$`));
    expect(stuck.metadata.ownerReferences).toEqual([{ apiVersion: "apps/v1", kind: "StatefulSet", name: "pg", uid: created.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(stuck.spec).toMatchObject({ hostname: "pg-0", subdomain: "pg" });
    await attachPullSecret("db");
    await restart("db", "statefulsets", "pg");
    await new Promise((r) => setTimeout(r, 600)); // OrderedReady: the controller waits for pg-0 to be Ready and never replaces it
    const still = await pods("db", "pg");
    expect(still.map((p) => p.metadata.uid)).toEqual([stuck.metadata.uid]);
    const status = (await call("GET", "/apis/apps/v1/namespaces/db/statefulsets/pg")).status;
    expect(status).toMatchObject({ observedGeneration: 2, replicas: 1, currentRevision: stuck.metadata.labels["controller-revision-hash"], collisionCount: 0, availableReplicas: 0 });
    expect(status.updateRevision).not.toBe(status.currentRevision);

    // Deleting the stuck pod lets the controller make it again from the new template, with the service account's secrets.
    await call("DELETE", "/api/v1/namespaces/db/pods/pg-0");
    const running = await until("both pods running", async () => {
      const list = await pods("db", "pg");
      return list.length === 2 && list.every((p) => p.status.phase === "Running") && list;
    });
    expect(running.map((p) => p.metadata.name)).toEqual(["pg-0", "pg-1"]);
    expect(running.every((p) => p.spec.imagePullSecrets?.[0]?.name === "icr")).toBe(true);
    const done = await until("rollout complete", async () => {
      const s = (await call("GET", "/apis/apps/v1/namespaces/db/statefulsets/pg")).status;
      return s.readyReplicas === 2 && s.currentRevision === s.updateRevision && s;
    });
    expect(done).toMatchObject({ replicas: 2, readyReplicas: 2, currentReplicas: 2, updatedReplicas: 2, availableReplicas: 2 });
  });

  it("rolls a restart from the highest ordinal down, one pod at a time; Parallel creates every pod at once", async () => {
    await call("POST", "/apis/apps/v1/namespaces/par/statefulsets", workload("StatefulSet", "par", "cache", "nginx:1.27", { replicas: 3, podManagementPolicy: "Parallel" }));
    const first = await until("three running", async () => {
      const list = await pods("par", "cache");
      return list.length === 3 && list.every((p) => p.status.phase === "Running") && list;
    });
    await restart("par", "statefulsets", "cache");
    await until("all replaced", async () => {
      const list = await pods("par", "cache");
      return list.length === 3 && list.every((p) => p.status.phase === "Running" && !first.some((f) => f.metadata.uid === p.metadata.uid)) && list;
    });
    const events = (await call("GET", "/api/v1/namespaces/par/events?fieldSelector=involvedObject.kind%3DStatefulSet")).items as any[];
    const deletes = events.filter((e) => e.reason === "SuccessfulDelete").sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
    expect(deletes.map((e) => e.message)).toEqual(["delete Pod cache-2 in StatefulSet cache successful", "delete Pod cache-1 in StatefulSet cache successful", "delete Pod cache-0 in StatefulSet cache successful"]);
  });
});

describe("DaemonSets", () => {
  it("runs one pod per node and a restart replaces failing pods with ones that carry the service account's secrets", async () => {
    const created = await call("POST", "/apis/apps/v1/namespaces/agents/daemonsets", workload("DaemonSet", "agents", "logger", "us.icr.io/team/logger:1"));
    expect(created.spec.updateStrategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    const failing = await until("a failing pod per node", async () => {
      const list = await pods("agents", "logger");
      return list.length === 2 && list.every((p) => waiting(p)?.reason === "ImagePullBackOff") && list;
    });
    expect(failing.map((p) => p.spec.nodeName).sort()).toEqual(["node-a", "node-b"]);
    for (const p of failing) {
      expect(p.metadata.name).toMatch(new RegExp(`^logger-${SUFFIX}$`));
      expect(p.metadata.generateName).toBe("logger-");
      expect(p.metadata.ownerReferences[0]).toMatchObject({ kind: "DaemonSet", name: "logger", uid: created.metadata.uid, controller: true });
      expect(p.metadata.labels).toMatchObject({ app: "logger", "pod-template-generation": "1" });
      expect(p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0]).toEqual({ key: "metadata.name", operator: "In", values: [p.spec.nodeName] });
      expect(p.spec.tolerations.map((t: any) => t.key)).toContain("node.kubernetes.io/unschedulable");
    }
    const before = (await call("GET", "/apis/apps/v1/namespaces/agents/daemonsets/logger")).status;
    expect(before).toEqual({ currentNumberScheduled: 2, numberMisscheduled: 0, desiredNumberScheduled: 2, numberReady: 0, observedGeneration: 1, updatedNumberScheduled: 2, numberUnavailable: 2 });
    await attachPullSecret("agents");
    await new Promise((r) => setTimeout(r, 400));
    expect((await pods("agents", "logger")).map((p) => p.metadata.uid).sort()).toEqual(failing.map((p) => p.metadata.uid).sort());
    await restart("agents", "daemonsets", "logger");
    const running = await until("new pods running", async () => {
      const list = await pods("agents", "logger");
      return list.length === 2 && list.every((p) => p.status.phase === "Running" && !failing.some((f) => f.metadata.uid === p.metadata.uid)) && list;
    });
    expect(running.every((p) => p.spec.imagePullSecrets?.[0]?.name === "icr" && p.metadata.labels["pod-template-generation"] === "2")).toBe(true);
    const after = await until("status settled", async () => {
      const s = (await call("GET", "/apis/apps/v1/namespaces/agents/daemonsets/logger")).status;
      return s.numberReady === 2 && s;
    });
    expect(after).toEqual({ currentNumberScheduled: 2, numberMisscheduled: 0, desiredNumberScheduled: 2, numberReady: 2, observedGeneration: 2, updatedNumberScheduled: 2, numberAvailable: 2 });
  });
});

describe("validation of StatefulSets and DaemonSets", () => {
  it("answers 422 with the API server's messages", async () => {
    const bad = (body: any, plural = "statefulsets") => call("POST", `/apis/apps/v1/namespaces/bad/${plural}`, body).then(() => null, (e) => e.body.message as string);
    const noSelector = workload("StatefulSet", "bad", "a", "nginx");
    delete (noSelector.spec as any).selector;
    expect(await bad(noSelector)).toBe('StatefulSet.apps "a" is invalid: spec.selector: Required value');
    expect(await bad({ ...workload("DaemonSet", "bad", "b", "nginx"), spec: { ...workload("DaemonSet", "bad", "b", "nginx").spec, selector: {} } }, "daemonsets")).toBe(
      'DaemonSet.apps "b" is invalid: spec.selector: Invalid value: {}: empty selector is invalid for daemonset',
    );
    expect(await bad(workload("StatefulSet", "bad", "c", "nginx", { podManagementPolicy: "Random" }))).toBe(
      'StatefulSet.apps "c" is invalid: spec.podManagementPolicy: Unsupported value: "Random": supported values: "OrderedReady", "Parallel"',
    );
    await call("POST", "/apis/apps/v1/namespaces/bad/statefulsets", workload("StatefulSet", "bad", "d", "nginx", { serviceName: "d" }));
    const change = await call("PATCH", "/apis/apps/v1/namespaces/bad/statefulsets/d", { spec: { serviceName: "other" } }, "application/merge-patch+json").then(() => null, (e) => e.body.message as string);
    expect(change).toBe(
      "StatefulSet.apps \"d\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    );
  });
});
