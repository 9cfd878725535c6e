import crypto from "node:crypto";
import { createControlledPod, isReady, selectorMatches, TemplateHashes, WorkloadController } from "./controller-pods";
import type { EventRecorder } from "./events";
import { nowTimestamp } from "./objects";
import { deepEqual } from "./patch";
import type { Obj, Store } from "./store";

/**
 * The Deployment and ReplicaSet controllers folded into one: each pod template
 * gets a `pod-template-hash`; pods are named `<deployment>-<hash>-<suffix>`,
 * owned by the (unstored) ReplicaSet `<deployment>-<hash>`, and pass
 * ServiceAccount admission when created (so they carry the service account's
 * imagePullSecrets of that moment). A template change (e.g. `kubectl rollout
 * restart`) rolls out within maxSurge/maxUnavailable: old ready pods are removed
 * only as new ones become ready, so a rollout to a failing image keeps the old pods.
 */

const CONTROLLER = { component: "deployment-controller" };
const RS_CONTROLLER = { component: "replicaset-controller" };

/** `25%` of `total` rounded up (surge) or down (unavailable), or an absolute number. */
function scaled(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === "number") return value;
  const m = /^(\d+)%$/.exec(String(value ?? "25%"));
  if (!m) return Number(value) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export class DeploymentController extends WorkloadController {
  private readonly hashes = new TemplateHashes();

  constructor(
    store: Store,
    private readonly events: EventRecorder,
  ) {
    super(store, "deployments");
  }

  protected override forget(d: Obj): void {
    this.hashes.forget(d.metadata.uid);
  }

  protected ownedPods(d: Obj): Obj[] {
    const prefix = `${d.metadata.name}-`;
    return this.store
      .list("pods", d.metadata.namespace)
      .filter((p) => selectorMatches(d.spec?.selector, p.metadata.labels) && (p.metadata.ownerReferences ?? []).some((r: Obj) => r.kind === "ReplicaSet" && String(r.name).startsWith(prefix)));
  }

  private currentHash(d: Obj, owned: Obj[]): string {
    const seeded = owned.find((p) => p.metadata.labels?.["pod-template-hash"])?.metadata.labels["pod-template-hash"];
    return this.hashes.current(d.metadata.uid, d.spec?.template, seeded);
  }

  protected reconcile(ns: string, name: string): void {
    const d = this.store.get("deployments", ns, name);
    if (!d) return;
    const owned = this.ownedPods(d);
    const hash = this.currentHash(d, owned);
    const replicas: number = d.spec?.replicas ?? 1;
    const fresh = owned.filter((p) => p.metadata.labels?.["pod-template-hash"] === hash);
    const old = owned.filter((p) => p.metadata.labels?.["pod-template-hash"] !== hash);
    const recreate = d.spec?.strategy?.type === "Recreate";
    const rolling = d.spec?.strategy?.rollingUpdate ?? {};
    const maxSurge = recreate ? 0 : scaled(rolling.maxSurge, replicas, true);
    let maxUnavailable = recreate ? replicas : scaled(rolling.maxUnavailable, replicas, false);
    if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;

    // Scale the new ReplicaSet down first when it has too many pods (not-ready ones go first).
    const surplus = [...fresh].sort((a, b) => Number(isReady(a)) - Number(isReady(b))).slice(0, Math.max(0, fresh.length - replicas));
    for (const p of surplus) this.store.remove("pods", ns, p.metadata.name);
    let freshCount = fresh.length - surplus.length;
    const scaledUpFrom = freshCount;
    // Old pods that are not ready never count towards availability: they go at once.
    let oldLeft = old.filter(isReady);
    for (const p of old.filter((x) => !isReady(x))) this.store.remove("pods", ns, p.metadata.name);
    while (freshCount < replicas && (recreate ? oldLeft.length === 0 : freshCount + oldLeft.length < replicas + maxSurge)) {
      if (!this.createPod(d, hash)) break;
      freshCount++;
    }
    if (freshCount > scaledUpFrom) {
      const ref = { kind: "Deployment", apiVersion: "apps/v1", namespace: ns, name, uid: d.metadata.uid };
      this.events.record(ref, "Normal", "ScalingReplicaSet", `Scaled up replica set ${name}-${hash} to ${freshCount}`, CONTROLLER);
    }
    const freshReady = fresh.filter((p) => !surplus.includes(p) && isReady(p)).length;
    const minAvailable = replicas - maxUnavailable;
    while (oldLeft.length > 0 && freshReady + oldLeft.length - 1 >= minAvailable) {
      this.store.remove("pods", ns, oldLeft[0]!.metadata.name);
      oldLeft = oldLeft.slice(1);
    }
    this.writeDeploymentStatus(d, hash);
  }

  private createPod(d: Obj, hash: string): boolean {
    const ns = d.metadata.namespace;
    const rsName = `${d.metadata.name}-${hash}`;
    const rsRef = { kind: "ReplicaSet", apiVersion: "apps/v1", namespace: ns, name: rsName, uid: replicaSetUid(d.metadata.uid, hash) };
    const made = createControlledPod(this.store, {
      namespace: ns,
      generateName: `${rsName}-`,
      template: d.spec?.template,
      labels: { "pod-template-hash": hash },
      owner: { apiVersion: "apps/v1", kind: "ReplicaSet", name: rsName, uid: rsRef.uid },
    });
    if ("refused" in made) {
      this.events.record(rsRef, "Warning", "FailedCreate", `Error creating: ${made.refused}`, RS_CONTROLLER);
      return false;
    }
    this.events.record(rsRef, "Normal", "SuccessfulCreate", `Created pod: ${made.pod.metadata.name}`, RS_CONTROLLER);
    return true;
  }

  private writeDeploymentStatus(d: Obj, hash: string): void {
    const current = this.store.get("deployments", d.metadata.namespace, d.metadata.name);
    if (!current) return;
    const owned = this.ownedPods(current);
    const replicas: number = current.spec?.replicas ?? 1;
    const updated = owned.filter((p) => p.metadata.labels?.["pod-template-hash"] === hash).length;
    const ready = owned.filter(isReady).length;
    const available = ready;
    const before: Obj = current.status ?? {};
    const condition = (type: string, ok: boolean, reason: string, message: string): Obj => {
      const prev = (before.conditions ?? []).find((c: Obj) => c.type === type);
      const same = prev && prev.status === (ok ? "True" : "False") && prev.reason === reason;
      const now = nowTimestamp();
      return { type, status: ok ? "True" : "False", lastUpdateTime: same ? prev.lastUpdateTime : now, lastTransitionTime: same ? prev.lastTransitionTime : now, reason, message };
    };
    const availableOk = available >= replicas - scaled(current.spec?.strategy?.rollingUpdate?.maxUnavailable, replicas, false);
    const complete = updated === replicas && ready === replicas && owned.length === replicas;
    const status: Obj = {
      observedGeneration: current.metadata.generation ?? 1,
      ...(owned.length ? { replicas: owned.length } : {}),
      ...(updated ? { updatedReplicas: updated } : {}),
      ...(ready ? { readyReplicas: ready } : {}),
      ...(available ? { availableReplicas: available } : {}),
      ...(owned.length - available > 0 ? { unavailableReplicas: Math.max(replicas, owned.length) - available } : {}),
      conditions: [
        condition("Available", availableOk, availableOk ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable", availableOk ? "Deployment has minimum availability." : "Deployment does not have minimum availability."),
        condition(
          "Progressing",
          true,
          complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
          complete ? `ReplicaSet "${current.metadata.name}-${hash}" has successfully progressed.` : `ReplicaSet "${current.metadata.name}-${hash}" is progressing.`,
        ),
      ],
    };
    this.writeStatus(current, status, deepEqual);
  }
}

function replicaSetUid(deploymentUid: string, hash: string): string {
  const hex = crypto.createHash("sha256").update(`${deploymentUid}/${hash}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
