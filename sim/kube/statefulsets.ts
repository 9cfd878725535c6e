import { controlledBy, createControlledPod, isReady, TemplateHashes, WorkloadController } from "./controller-pods";
import type { EventRecorder, InvolvedObject } from "./events";
import { deepEqual } from "./patch";
import type { Obj, Store } from "./store";

/**
 * The StatefulSet controller (pkg/controller/statefulset, RollingUpdate and
 * OnDelete): pods `<name>-0 … <name>-(N-1)` with stable names, labelled with
 * their revision (`controller-revision-hash: <name>-<hash>`), pod name and
 * index. OrderedReady creates pod i+1 only once pod i is Running and Ready and
 * stops at the first pod that is not, so a pod stuck in ImagePullBackOff holds
 * a rolling update until someone deletes it (kubernetes/kubernetes#67250);
 * Parallel does not wait. A rolling update deletes one pod at a time from the
 * highest ordinal down, each recreated from the new template before the next.
 */

const CONTROLLER = { component: "statefulset-controller" };
export const REVISION_LABEL = "controller-revision-hash";

function ordinalOf(setName: string, pod: Obj): number {
  const m = new RegExp(`^${setName.replace(/[.]/g, "\\.")}-(\\d+)$`).exec(pod.metadata.name);
  return m ? Number(m[1]) : -1;
}

export class StatefulSetController extends WorkloadController {
  private readonly hashes = new TemplateHashes();

  constructor(
    store: Store,
    private readonly events: EventRecorder,
    /** Servers from 1.28 label pods with `apps.kubernetes.io/pod-index`. */
    private readonly serverMinor: number,
  ) {
    super(store, "statefulsets");
  }

  protected ownedPods(set: Obj): Obj[] {
    return this.store.list("pods", set.metadata.namespace).filter((p) => controlledBy(p, set.metadata.uid));
  }

  protected override forget(set: Obj): void {
    this.hashes.forget(set.metadata.uid);
  }

  protected reconcile(ns: string, name: string): void {
    const set = this.store.get("statefulsets", ns, name);
    if (!set) return;
    const owned = this.ownedPods(set);
    const seeded = owned.find((p) => p.metadata.labels?.[REVISION_LABEL])?.metadata.labels[REVISION_LABEL];
    const updateRevision = `${name}-${this.hashes.current(set.metadata.uid, set.spec?.template, seeded?.startsWith(`${name}-`) ? seeded.slice(name.length + 1) : undefined)}`;
    const replicas: number = set.spec?.replicas ?? 1;
    const monotonic = set.spec?.podManagementPolicy !== "Parallel";
    const byOrdinal = new Map(owned.map((p) => [ordinalOf(name, p), p]));
    this.sync(set, byOrdinal, replicas, monotonic, updateRevision);
    this.writeSetStatus(set, updateRevision);
  }

  private sync(set: Obj, byOrdinal: Map<number, Obj>, replicas: number, monotonic: boolean, updateRevision: string): void {
    for (let i = 0; i < replicas; i++) {
      const pod = byOrdinal.get(i);
      if (pod?.status?.phase === "Failed") {
        this.deletePod(set, pod);
        return;
      }
      if (!pod) {
        this.createPod(set, i, updateRevision);
        if (monotonic) return;
        continue;
      }
      if (!isReady(pod) && monotonic) return;
    }
    // Scale down: the highest ordinal first, one at a time when ordered.
    const condemned = [...byOrdinal.entries()].filter(([i]) => i >= replicas || i < 0).sort((a, b) => b[0] - a[0]);
    for (const [, pod] of condemned) {
      this.deletePod(set, pod);
      if (monotonic) return;
    }
    if (set.spec?.updateStrategy?.type !== "RollingUpdate") return;
    const partition: number = set.spec.updateStrategy.rollingUpdate?.partition ?? 0;
    for (let target = replicas - 1; target >= partition; target--) {
      const pod = byOrdinal.get(target);
      if (!pod) return;
      if (pod.metadata.labels?.[REVISION_LABEL] !== updateRevision) {
        this.deletePod(set, pod);
        return;
      }
      if (!isReady(pod)) return;
    }
  }

  private ref(set: Obj): InvolvedObject {
    return { kind: "StatefulSet", apiVersion: "apps/v1", namespace: set.metadata.namespace, name: set.metadata.name, uid: set.metadata.uid };
  }

  private createPod(set: Obj, ordinal: number, revision: string): void {
    const { namespace, name, uid } = set.metadata;
    const podName = `${name}-${ordinal}`;
    const made = createControlledPod(this.store, {
      namespace,
      name: podName,
      generateName: `${name}-`,
      template: set.spec?.template,
      labels: {
        [REVISION_LABEL]: revision,
        ...(this.serverMinor >= 28 ? { "apps.kubernetes.io/pod-index": String(ordinal) } : {}),
        "statefulset.kubernetes.io/pod-name": podName,
      },
      owner: { apiVersion: "apps/v1", kind: "StatefulSet", name, uid },
      adjustSpec: (spec) => {
        spec.hostname = podName;
        if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
      },
    });
    if ("refused" in made) this.events.record(this.ref(set), "Warning", "FailedCreate", `create Pod ${podName} in StatefulSet ${name} failed error: ${made.refused}`, CONTROLLER);
    else this.events.record(this.ref(set), "Normal", "SuccessfulCreate", `create Pod ${podName} in StatefulSet ${name} successful`, CONTROLLER);
  }

  private deletePod(set: Obj, pod: Obj): void {
    this.store.remove("pods", set.metadata.namespace, pod.metadata.name);
    this.events.record(this.ref(set), "Normal", "SuccessfulDelete", `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`, CONTROLLER);
  }

  private writeSetStatus(set: Obj, updateRevision: string): void {
    const current = this.store.get("statefulsets", set.metadata.namespace, set.metadata.name);
    if (!current) return;
    const owned = this.ownedPods(current);
    const before: Obj = current.status ?? {};
    let currentRevision: string = before.currentRevision || updateRevision;
    const ready = owned.filter(isReady).length;
    const at = (revision: string) => owned.filter((p) => p.metadata.labels?.[REVISION_LABEL] === revision).length;
    let updated = at(updateRevision);
    // completeRollingUpdate: every pod at the new revision and ready makes it the current one.
    if (current.spec?.updateStrategy?.type === "RollingUpdate" && updated === owned.length && ready === owned.length) currentRevision = updateRevision;
    const currentReplicas = at(currentRevision);
    if (currentRevision === updateRevision) updated = currentReplicas;
    const status: Obj = {
      observedGeneration: current.metadata.generation ?? 1,
      replicas: owned.length,
      ...(ready ? { readyReplicas: ready } : {}),
      ...(currentReplicas ? { currentReplicas } : {}),
      ...(updated ? { updatedReplicas: updated } : {}),
      currentRevision,
      updateRevision,
      collisionCount: 0,
      availableReplicas: ready,
    };
    this.writeStatus(current, status, deepEqual);
  }
}
