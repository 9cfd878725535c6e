import { controlledBy, createControlledPod, isReady, TemplateHashes, WorkloadController } from "./controller-pods";
import type { EventRecorder, InvolvedObject } from "./events";
import { deepEqual } from "./patch";
import { REVISION_LABEL } from "./statefulsets";
import type { Obj, Store } from "./store";

/**
 * The DaemonSet controller (pkg/controller/daemon): one pod per node, named
 * `<name>-<5 chars>`, pinned to its node by required node affinity on
 * `metadata.name` (the scheduler binds it), labelled `controller-revision-hash`
 * and `pod-template-generation`, with the daemon tolerations. RollingUpdate
 * (maxSurge 0) deletes old pods that are not available at once and available
 * ones within maxUnavailable; a node left without a pod gets a new one from the
 * current template. OnDelete replaces only pods someone deleted.
 */

const CONTROLLER = { component: "daemonset-controller" };

/** util.AddOrUpdateDaemonPodTolerations (no hostNetwork). */
const DAEMON_TOLERATIONS = [
  { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
  { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
  { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
];

function nodeOf(pod: Obj): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms: Obj[] = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  return terms.flatMap((t) => t.matchFields ?? []).find((f: Obj) => f.key === "metadata.name")?.values?.[0];
}

/** `maxUnavailable` as a number of nodes (percentages round up, as intstr.GetScaledValueFromIntOrPercent does for daemons). */
function maxUnavailableOf(set: Obj, nodes: number): number {
  const v = set.spec?.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1;
  const m = /^(\d+)%$/.exec(String(v));
  const n = m ? Math.ceil((Number(m[1]) * nodes) / 100) : Number(v) || 0;
  return Math.max(n, 1);
}

export class DaemonSetController extends WorkloadController {
  private readonly hashes = new TemplateHashes();

  constructor(
    store: Store,
    private readonly events: EventRecorder,
    private readonly nodes: () => string[],
  ) {
    super(store, "daemonsets");
  }

  protected ownedPods(set: Obj): Obj[] {
    return this.store.list("pods", set.metadata.namespace).filter((p) => controlledBy(p, set.metadata.uid));
  }

  protected override forget(set: Obj): void {
    this.hashes.forget(set.metadata.uid);
  }

  protected reconcile(ns: string, name: string): void {
    const set = this.store.get("daemonsets", ns, name);
    if (!set) return;
    const owned = this.ownedPods(set);
    const seeded = owned.find((p) => p.metadata.labels?.[REVISION_LABEL])?.metadata.labels[REVISION_LABEL];
    const hash = this.hashes.current(set.metadata.uid, set.spec?.template, seeded);
    const nodes = this.nodes();
    const byNode = new Map<string, Obj[]>(nodes.map((n) => [n, []]));
    for (const pod of owned) {
      const node = nodeOf(pod);
      const onNode = node ? byNode.get(node) : undefined;
      // A pod for a node that is gone is deleted, as are duplicates (the oldest stays).
      if (!onNode) this.deletePod(set, pod);
      else onNode.push(pod);
    }
    for (const [node, pods] of byNode) {
      pods.sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)));
      for (const extra of pods.splice(1)) this.deletePod(set, extra);
      if (pods.length === 0) this.createPod(set, node, hash);
    }
    if (set.spec?.updateStrategy?.type === "RollingUpdate") this.rollingUpdate(set, byNode, hash, nodes.length);
    this.writeSetStatus(set, hash);
  }

  private rollingUpdate(set: Obj, byNode: Map<string, Obj[]>, hash: string, nodeCount: number): void {
    const pods = [...byNode.values()].flat();
    const old = pods.filter((p) => p.metadata.labels?.[REVISION_LABEL] !== hash);
    let unavailable = nodeCount - pods.filter(isReady).length;
    for (const pod of old.filter((p) => !isReady(p))) this.deletePod(set, pod);
    const budget = maxUnavailableOf(set, nodeCount);
    for (const pod of old.filter(isReady)) {
      if (unavailable >= budget) break;
      this.deletePod(set, pod);
      unavailable++;
    }
  }

  private ref(set: Obj): InvolvedObject {
    return { kind: "DaemonSet", apiVersion: "apps/v1", namespace: set.metadata.namespace, name: set.metadata.name, uid: set.metadata.uid };
  }

  private createPod(set: Obj, node: string, hash: string): void {
    const { namespace, name, uid } = set.metadata;
    const made = createControlledPod(this.store, {
      namespace,
      generateName: `${name}-`,
      template: set.spec?.template,
      labels: { [REVISION_LABEL]: hash, "pod-template-generation": String(set.metadata.generation ?? 1) },
      owner: { apiVersion: "apps/v1", kind: "DaemonSet", name, uid },
      adjustSpec: (spec) => {
        spec.affinity = {
          ...(spec.affinity ?? {}),
          nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: [node] }] }] } },
        };
        const own: Obj[] = spec.tolerations ?? [];
        spec.tolerations = [...own, ...DAEMON_TOLERATIONS.filter((t) => !own.some((o) => o.key === t.key && o.effect === t.effect))];
      },
    });
    if ("refused" in made) this.events.record(this.ref(set), "Warning", "FailedCreate", `Error creating: ${made.refused}`, CONTROLLER);
    else this.events.record(this.ref(set), "Normal", "SuccessfulCreate", `Created pod: ${made.pod.metadata.name}`, CONTROLLER);
  }

  private deletePod(set: Obj, pod: Obj): void {
    if (!this.store.remove("pods", set.metadata.namespace, pod.metadata.name)) return;
    this.events.record(this.ref(set), "Normal", "SuccessfulDelete", `Deleted pod: ${pod.metadata.name}`, CONTROLLER);
  }

  private writeSetStatus(set: Obj, hash: string): void {
    const current = this.store.get("daemonsets", set.metadata.namespace, set.metadata.name);
    if (!current) return;
    const nodes = this.nodes();
    const owned = this.ownedPods(current);
    const on = (test: (p: Obj) => boolean) => nodes.filter((n) => owned.some((p) => nodeOf(p) === n && test(p))).length;
    const scheduled = on(() => true);
    const ready = on(isReady);
    const updated = on((p) => p.metadata.labels?.[REVISION_LABEL] === hash);
    const status: Obj = {
      currentNumberScheduled: scheduled,
      numberMisscheduled: 0,
      desiredNumberScheduled: nodes.length,
      numberReady: ready,
      observedGeneration: current.metadata.generation ?? 1,
      ...(updated ? { updatedNumberScheduled: updated } : {}),
      ...(ready ? { numberAvailable: ready } : {}),
      ...(nodes.length - ready > 0 ? { numberUnavailable: nodes.length - ready } : {}),
    };
    this.writeStatus(current, status, deepEqual);
  }
}
