import crypto from "node:crypto";
import { applyDefaults, nowTimestamp } from "./objects";
import { keyOf, type Obj, type Store, type StoreEvent } from "./store";
import type { StoredResource } from "./resources";

/**
 * What the Deployment, StatefulSet and DaemonSet controllers share: template
 * hashes, label selectors, readiness, the work queue, and pod creation through
 * ServiceAccount admission (the one code path every pod takes, API-created or
 * controller-made).
 */

export const SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Obj)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/** fnv-32a of the template rendered through rand.SafeEncodeString, as ComputeHash does (over JSON here). */
export function podTemplateHash(template: unknown): string {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(stableJson(template))) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return [...String(h)].map((ch) => SAFE_ALPHABET[ch.charCodeAt(0) % SAFE_ALPHABET.length]).join("");
}

export const randomSuffix = () => Array.from({ length: 5 }, () => SAFE_ALPHABET[crypto.randomInt(SAFE_ALPHABET.length)]).join("");

export function selectorMatches(selector: Obj | undefined, labels: Record<string, string> = {}): boolean {
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

export const isReady = (p: Obj) => p.status?.phase === "Running" && (p.status?.containerStatuses ?? []).every((c: Obj) => c.ready);

/** Pods controlled by `owner` (ownerReferences with controller: true and the owner's uid, or for Deployments the ReplicaSet test). */
export const controlledBy = (pod: Obj, uid: string) => (pod.metadata.ownerReferences ?? []).some((r: Obj) => r.controller && r.uid === uid);

/**
 * ServiceAccount admission: the service account must exist; its imagePullSecrets,
 * as they are now, are copied when the pod names none. Returns the refusal
 * reason (the text after `pods "<name>" is forbidden: `), or null when admitted.
 */
export function admitServiceAccount(store: Store, namespace: string, pod: Obj): string | null {
  const spec: Obj | undefined = pod.spec;
  const saName = spec?.serviceAccountName ?? spec?.serviceAccount ?? "default";
  const sa = store.get("serviceaccounts", namespace, saName);
  if (!sa) return `error looking up service account ${namespace}/${saName}: serviceaccount ${JSON.stringify(saName)} not found`;
  if (spec && typeof spec === "object" && (!Array.isArray(spec.imagePullSecrets) || spec.imagePullSecrets.length === 0) && Array.isArray(sa.imagePullSecrets) && sa.imagePullSecrets.length) {
    spec.imagePullSecrets = structuredClone(sa.imagePullSecrets);
  }
  return null;
}

export interface ControlledPod {
  namespace: string;
  /** A fixed name (StatefulSet), or undefined to generate `<generateName><5 chars>`. */
  name?: string;
  generateName: string;
  template: Obj;
  /** Labels added to the template's. */
  labels: Record<string, string>;
  owner: { apiVersion: string; kind: string; name: string; uid: string };
  /** Last changes to the pod spec (hostname, node affinity, tolerations). */
  adjustSpec?: (spec: Obj) => void;
}

/**
 * Creates a controller's pod as the API server would on the controller's POST:
 * admission, defaulting, system fields. Returns the pod, or the refusal
 * (`pods "web-0" is forbidden: …`) for the controller's FailedCreate event.
 */
export function createControlledPod(store: Store, p: ControlledPod): { pod: Obj } | { refused: string } {
  const template = structuredClone(p.template ?? {});
  const spec: Obj = template.spec ?? {};
  p.adjustSpec?.(spec);
  const refused = admitServiceAccount(store, p.namespace, { spec });
  if (refused) return { refused: `pods "${p.name ?? p.generateName}" is forbidden: ${refused}` };
  let name = p.name ?? `${p.generateName}${randomSuffix()}`;
  while (!p.name && store.get("pods", p.namespace, name)) name = `${p.generateName}${randomSuffix()}`;
  const pod: Obj = {
    metadata: {
      name,
      ...(p.name ? {} : { generateName: p.generateName }),
      namespace: p.namespace,
      uid: crypto.randomUUID(),
      resourceVersion: "",
      creationTimestamp: nowTimestamp(),
      labels: { ...(template.metadata?.labels ?? {}), ...p.labels },
      ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
      ownerReferences: [{ ...p.owner, controller: true, blockOwnerDeletion: true }],
    },
    spec,
  };
  applyDefaults("Pod", pod);
  pod.metadata.resourceVersion = String(store.nextRv());
  store.put("pods", pod, "ADDED");
  return { pod };
}

/**
 * Template → hash per workload uid. The first hash seen for a workload (on a
 * seeded pod) belongs to its current template, so seeded pods are not rolled.
 */
export class TemplateHashes {
  private readonly byUid = new Map<string, Map<string, string>>();

  current(uid: string, template: unknown, seededHash: string | undefined): string {
    let byTemplate = this.byUid.get(uid);
    const key = stableJson(template ?? {});
    if (!byTemplate) {
      this.byUid.set(uid, (byTemplate = new Map()));
      if (seededHash) byTemplate.set(key, seededHash);
    }
    let hash = byTemplate.get(key);
    if (!hash) byTemplate.set(key, (hash = podTemplateHash(template ?? {})));
    return hash;
  }

  forget(uid: string): void {
    this.byUid.delete(uid);
  }
}

/**
 * One controller's work queue over a workload resource: changes to the
 * workload, its pods (by selector) and the namespace's service accounts
 * enqueue it; a batch is reconciled on the next tick. A deleted workload's
 * pods are collected (the garbage collector's background cascade).
 */
export abstract class WorkloadController {
  private readonly queue = new Set<string>();
  private scheduled: NodeJS.Immediate | null = null;
  protected closed = false;

  constructor(
    protected readonly store: Store,
    protected readonly resource: StoredResource,
  ) {}

  protected abstract reconcile(namespace: string, name: string): void;
  protected abstract ownedPods(workload: Obj): Obj[];
  protected forget(_workload: Obj): void {}

  enqueueAll(): void {
    for (const w of this.store.list(this.resource)) this.enqueue(w.metadata.namespace, w.metadata.name);
  }

  onEvent(e: StoreEvent): void {
    if (this.closed) return;
    const o = e.object;
    if (e.resource === this.resource) {
      if (e.type === "DELETED") setImmediate(() => this.collectGarbage(o));
      else this.enqueue(o.metadata.namespace, o.metadata.name);
    } else if (e.resource === "pods") {
      for (const w of this.store.list(this.resource, o.metadata.namespace)) if (selectorMatches(w.spec?.selector, o.metadata.labels)) this.enqueue(w.metadata.namespace, w.metadata.name);
    } else if (e.resource === "serviceaccounts" && e.type !== "DELETED") {
      for (const w of this.store.list(this.resource, o.metadata.namespace)) this.enqueue(w.metadata.namespace, w.metadata.name);
    }
  }

  close(): void {
    this.closed = true;
    if (this.scheduled) clearImmediate(this.scheduled);
  }

  protected enqueue(ns: string, name: string): void {
    this.queue.add(keyOf(ns, name));
    this.scheduled ??= setImmediate(() => {
      this.scheduled = null;
      const keys = [...this.queue];
      this.queue.clear();
      for (const key of keys) {
        if (this.closed) break;
        const [ns, name] = key.split("/") as [string, string];
        this.reconcile(ns, name);
      }
    });
  }

  /** Writes `status` when it differs from the stored one (no-op writes do not bump the resourceVersion). */
  protected writeStatus(workload: Obj, status: Obj, equal: (a: Obj, b: Obj) => boolean): void {
    const current = this.store.get(this.resource, workload.metadata.namespace, workload.metadata.name);
    if (!current || equal(status, current.status ?? {})) return;
    const next = { ...current, status, metadata: { ...current.metadata, resourceVersion: String(this.store.nextRv()) } };
    this.store.put(this.resource, next, "MODIFIED");
  }

  private collectGarbage(w: Obj): void {
    for (const p of this.ownedPods(w)) this.store.remove("pods", w.metadata.namespace, p.metadata.name);
    this.forget(w);
  }
}
