import crypto from "node:crypto";
import { EventRecorder } from "./events";
import { applyDefaults, nowTimestamp } from "./objects";
import { deepEqual } from "./patch";
import { keyOf, type Obj, type Store, type StoreEvent } from "./store";

/**
 * The Deployment and ReplicaSet controllers folded into one: each pod template
 * gets a `pod-template-hash`; pods are named `<deployment>-<hash>-<suffix>`,
 * owned by the (unstored) ReplicaSet `<deployment>-<hash>`, and pass
 * ServiceAccount admission when created (so they carry the service account's
 * imagePullSecrets of that moment). A template change (e.g. `kubectl rollout
 * restart`) rolls out within maxSurge/maxUnavailable: old ready pods are removed
 * only as new ones become ready, so a rollout to a failing image keeps the old pods.
 */

const SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
const CONTROLLER = { component: "deployment-controller" };
const RS_CONTROLLER = { component: "replicaset-controller" };

/** fnv-32a of the template rendered through rand.SafeEncodeString, as ComputeHash does (over JSON here). */
export function podTemplateHash(template: unknown): string {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(stableJson(template))) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return [...String(h)].map((ch) => SAFE_ALPHABET[ch.charCodeAt(0) % SAFE_ALPHABET.length]).join("");
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Obj)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

const randomSuffix = () => Array.from({ length: 5 }, () => SAFE_ALPHABET[crypto.randomInt(SAFE_ALPHABET.length)]).join("");

function selectorMatches(selector: Obj | undefined, labels: Record<string, string> = {}): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of (selector.matchExpressions ?? []) as Obj[]) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const ok =
      e.operator === "In" ? has && (e.values ?? []).includes(labels[e.key]) :
      e.operator === "NotIn" ? !has || !(e.values ?? []).includes(labels[e.key]) :
      e.operator === "Exists" ? has : !has;
    if (!ok) return false;
  }
  return true;
}

/** `25%` of `total` rounded up (surge) or down (unavailable), or an absolute number. */
function scaled(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === "number") return value;
  const m = /^(\d+)%$/.exec(String(value ?? "25%"));
  if (!m) return Number(value) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

const isReady = (p: Obj) => p.status?.phase === "Running" && (p.status?.containerStatuses ?? []).every((c: Obj) => c.ready);

export class DeploymentController {
  /** Deployment uid → template JSON → hash, so seeded pods keep the hash they were created with. */
  private readonly hashes = new Map<string, Map<string, string>>();
  private readonly queue = new Set<string>();
  private scheduled: NodeJS.Immediate | null = null;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly events: EventRecorder,
  ) {}

  enqueueAll(): void {
    for (const d of this.store.list("deployments")) this.enqueue(d.metadata.namespace, d.metadata.name);
  }

  onEvent(e: StoreEvent): void {
    if (this.closed) return;
    const o = e.object;
    if (e.resource === "deployments") {
      if (e.type === "DELETED") setImmediate(() => this.collectGarbage(o));
      else this.enqueue(o.metadata.namespace, o.metadata.name);
    } else if (e.resource === "pods") {
      for (const d of this.store.list("deployments", o.metadata.namespace)) if (selectorMatches(d.spec?.selector, o.metadata.labels)) this.enqueue(d.metadata.namespace, d.metadata.name);
    } else if (e.resource === "serviceaccounts" && e.type !== "DELETED") {
      for (const d of this.store.list("deployments", o.metadata.namespace)) this.enqueue(d.metadata.namespace, d.metadata.name);
    }
  }

  close(): void {
    this.closed = true;
    if (this.scheduled) clearImmediate(this.scheduled);
  }

  private enqueue(ns: string, name: string): void {
    this.queue.add(keyOf(ns, name));
    this.scheduled ??= setImmediate(() => {
      this.scheduled = null;
      const keys = [...this.queue];
      this.queue.clear();
      for (const key of keys) if (!this.closed) this.reconcile(key);
    });
  }

  private ownedPods(d: Obj): Obj[] {
    const prefix = `${d.metadata.name}-`;
    return this.store
      .list("pods", d.metadata.namespace)
      .filter((p) => selectorMatches(d.spec?.selector, p.metadata.labels) && (p.metadata.ownerReferences ?? []).some((r: Obj) => r.kind === "ReplicaSet" && String(r.name).startsWith(prefix)));
  }

  private currentHash(d: Obj, owned: Obj[]): string {
    let byTemplate = this.hashes.get(d.metadata.uid);
    const key = stableJson(d.spec?.template ?? {});
    if (!byTemplate) {
      this.hashes.set(d.metadata.uid, (byTemplate = new Map()));
      // First sight (seeded state): the pods already there were made from the current template.
      const seeded = owned.find((p) => p.metadata.labels?.["pod-template-hash"])?.metadata.labels["pod-template-hash"];
      if (seeded) byTemplate.set(key, seeded);
    }
    let hash = byTemplate.get(key);
    if (!hash) byTemplate.set(key, (hash = podTemplateHash(d.spec?.template ?? {})));
    return hash;
  }

  private reconcile(key: string): void {
    const [ns, name] = key.split("/") as [string, string];
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
    this.writeStatus(d, hash);
  }

  private createPod(d: Obj, hash: string): boolean {
    const ns = d.metadata.namespace;
    const template = structuredClone(d.spec?.template ?? {});
    const rsName = `${d.metadata.name}-${hash}`;
    const spec: Obj = template.spec ?? {};
    const saName = spec.serviceAccountName ?? spec.serviceAccount ?? "default";
    const sa = this.store.get("serviceaccounts", ns, saName);
    const rsRef = { kind: "ReplicaSet", apiVersion: "apps/v1", namespace: ns, name: rsName, uid: replicaSetUid(d.metadata.uid, hash) };
    if (!sa) {
      this.events.record(rsRef, "Warning", "FailedCreate", `Error creating: pods "${rsName}-" is forbidden: error looking up service account ${ns}/${saName}: serviceaccount "${saName}" not found`, RS_CONTROLLER);
      return false;
    }
    // ServiceAccount admission: the service account's pull secrets, as they are now, when the pod has none.
    if ((!Array.isArray(spec.imagePullSecrets) || spec.imagePullSecrets.length === 0) && sa.imagePullSecrets?.length) spec.imagePullSecrets = structuredClone(sa.imagePullSecrets);
    let name = `${rsName}-${randomSuffix()}`;
    while (this.store.get("pods", ns, name)) name = `${rsName}-${randomSuffix()}`;
    const pod: Obj = {
      metadata: {
        name,
        generateName: `${rsName}-`,
        namespace: ns,
        uid: crypto.randomUUID(),
        resourceVersion: "",
        creationTimestamp: nowTimestamp(),
        labels: { ...(template.metadata?.labels ?? {}), "pod-template-hash": hash },
        ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
        ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: rsName, uid: rsRef.uid, controller: true, blockOwnerDeletion: true }],
      },
      spec,
    };
    applyDefaults("Pod", pod);
    pod.metadata.resourceVersion = String(this.store.nextRv());
    this.store.put("pods", pod, "ADDED");
    this.events.record(rsRef, "Normal", "SuccessfulCreate", `Created pod: ${name}`, RS_CONTROLLER);
    return true;
  }

  private writeStatus(d: Obj, hash: string): void {
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
    if (deepEqual(status, before)) return;
    const next = { ...current, status, metadata: { ...current.metadata, resourceVersion: String(this.store.nextRv()) } };
    this.store.put("deployments", next, "MODIFIED");
  }

  /** The garbage collector's background cascade: a deleted Deployment's pods go too. */
  private collectGarbage(d: Obj): void {
    for (const p of this.ownedPods(d)) this.store.remove("pods", d.metadata.namespace, p.metadata.name);
    this.hashes.delete(d.metadata.uid);
  }
}

function replicaSetUid(deploymentUid: string, hash: string): string {
  const hex = crypto.createHash("sha256").update(`${deploymentUid}/${hash}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
