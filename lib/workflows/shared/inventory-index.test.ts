import { describe, expect, it } from "vitest";
import { toPodDto, toWorkloadDto } from "@/lib/kube/mappers";
import type { PullSecretInventory } from "@/lib/kube/port";
import { InventoryIndex } from "./inventory-index";

/** Which workloads a restart offer names: the owners of pods lacking the secrets whose template names none of its own. */

const template = (own: string[] = []) => ({ metadata: { labels: { app: "x" } }, spec: { ...(own.length ? { imagePullSecrets: own.map((name) => ({ name })) } : {}), containers: [{ name: "c", image: "us.icr.io/t/x:1" }] } });
const pod = (name: string, owner: { kind: string; name: string }, opts: { hash?: string; failing?: boolean } = {}) =>
  toPodDto("c", {
    metadata: { name, namespace: "n", labels: opts.hash ? { "pod-template-hash": opts.hash } : {}, ownerReferences: [{ apiVersion: "apps/v1", kind: owner.kind, name: owner.name, uid: "u", controller: true }] },
    spec: { containers: [{ name: "c", image: "us.icr.io/t/x:1" }] },
    status: { phase: opts.failing ? "Pending" : "Running", containerStatuses: [opts.failing ? { name: "c", image: "us.icr.io/t/x:1", imageID: "", ready: false, restartCount: 0, state: { waiting: { reason: "ImagePullBackOff", message: "Back-off" } } } : { name: "c", image: "us.icr.io/t/x:1", imageID: "", ready: true, restartCount: 0, state: { running: {} } }] },
  } as never);

function index(): InventoryIndex {
  const workloads = [
    toWorkloadDto("c", "Deployment", { metadata: { name: "web", namespace: "n" }, spec: { selector: {}, template: template() } }),
    toWorkloadDto("c", "StatefulSet", { metadata: { name: "db", namespace: "n" }, spec: { selector: {}, serviceName: "db", template: template() } }),
    toWorkloadDto("c", "DaemonSet", { metadata: { name: "agent", namespace: "n" }, spec: { selector: {}, template: template() } }),
    toWorkloadDto("c", "DaemonSet", { metadata: { name: "pinned", namespace: "n" }, spec: { selector: {}, template: template(["own"]) } }),
    pod("web-5d4f-abcde", { kind: "ReplicaSet", name: "web-5d4f" }, { hash: "5d4f" }),
    pod("db-0", { kind: "StatefulSet", name: "db" }, { failing: true }),
    pod("db-1", { kind: "StatefulSet", name: "db" }),
    pod("agent-k2x9p", { kind: "DaemonSet", name: "agent" }),
    pod("pinned-q8z2w", { kind: "DaemonSet", name: "pinned" }),
    pod("nightly-1", { kind: "Job", name: "nightly" }),
  ];
  return new InventoryIndex({ cluster: "c", readAt: "", scope: "cluster", namespaces: [], unreadableNamespaces: [], pullSecrets: [], serviceAccounts: [], workloads, notes: [], requestCount: 0 } satisfies PullSecretInventory);
}

describe("InventoryIndex restart offer", () => {
  it("names each owning Deployment, StatefulSet and DaemonSet once, by kind then name, and leaves out templates with their own secrets and bare owners", () => {
    const idx = index();
    const pods = idx.podsMissing("n", "default", ["icr"]);
    expect(pods).toHaveLength(6);
    expect(idx.restartableWorkloads("n", pods)).toEqual([
      { kind: "Deployment", name: "web", namespace: "n" },
      { kind: "StatefulSet", name: "db", namespace: "n" },
      { kind: "DaemonSet", name: "agent", namespace: "n" },
    ]);
  });

  it("finds a StatefulSet's pods stuck on image pulls, and only its own", () => {
    const idx = index();
    expect(idx.podsStuckOnPulls({ kind: "StatefulSet", namespace: "n", name: "db" }).map((p) => p.name)).toEqual(["db-0"]);
    expect(idx.podsStuckOnPulls({ kind: "DaemonSet", namespace: "n", name: "agent" })).toEqual([]);
  });
});
