import type { StoredResource } from "./resources";

/**
 * In-memory object store: one Map per resource, one global resourceVersion
 * counter (like the etcd revision) and a bounded event history so watches can
 * resume from a resourceVersion.
 */

export type Obj = Record<string, any>;

export interface StoreEvent {
  type: "ADDED" | "MODIFIED" | "DELETED";
  resource: StoredResource;
  rv: number;
  object: Obj;
}

const HISTORY_LIMIT = 10_000;
export const RESOURCE_NAMES: StoredResource[] = ["namespaces", "secrets", "serviceaccounts", "pods", "deployments", "events", "clusterroles", "clusterrolebindings", "roles", "rolebindings"];

export const keyOf = (ns: string | undefined, name: string) => (ns ? `${ns}/${name}` : name);

export class Store {
  rv = 1;
  private maps = new Map<StoredResource, Map<string, Obj>>(RESOURCE_NAMES.map((r) => [r, new Map()]));
  private sorted = new Map<StoredResource, Obj[]>();
  private byNamespace = new Map<StoredResource, Map<string, Obj[]>>();
  private history: StoreEvent[] = [];
  private listeners = new Set<(e: StoreEvent) => void>();
  /** Oldest resourceVersion a watch may resume from. */
  oldestRv = 1;
  onWrite: (() => void) | null = null;

  private map(r: StoredResource): Map<string, Obj> {
    return this.maps.get(r)!;
  }

  get(r: StoredResource, ns: string | undefined, name: string): Obj | undefined {
    return this.map(r).get(keyOf(ns, name));
  }

  count(r: StoredResource): number {
    return this.map(r).size;
  }

  /** Objects sorted by namespace then name (etcd key order); callers must not mutate them. */
  list(r: StoredResource, ns?: string): Obj[] {
    let all = this.sorted.get(r);
    if (!all) {
      all = [...this.map(r).entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e[1]);
      this.sorted.set(r, all);
      this.byNamespace.delete(r);
    }
    if (ns === undefined) return all;
    let idx = this.byNamespace.get(r);
    if (!idx) {
      idx = new Map();
      for (const o of all) {
        const n = o.metadata?.namespace ?? "";
        let bucket = idx.get(n);
        if (!bucket) idx.set(n, (bucket = []));
        bucket.push(o);
      }
      this.byNamespace.set(r, idx);
    }
    return idx.get(ns) ?? [];
  }

  nextRv(): number {
    return ++this.rv;
  }

  /** Inserts or replaces an object; the caller has already set metadata.resourceVersion. */
  put(r: StoredResource, obj: Obj, type: "ADDED" | "MODIFIED"): void {
    const m = this.map(r);
    const key = keyOf(obj.metadata.namespace, obj.metadata.name);
    const isNew = !m.has(key);
    m.set(key, obj);
    if (isNew) this.sorted.delete(r);
    else this.patchSorted(r, key, obj);
    this.emit({ type, resource: r, rv: Number(obj.metadata.resourceVersion), object: obj });
  }

  /** Replacing an object keeps key order, so the cached sort can be updated in place. */
  private patchSorted(r: StoredResource, key: string, obj: Obj) {
    const all = this.sorted.get(r);
    if (!all) return;
    const i = all.findIndex((o) => keyOf(o.metadata.namespace, o.metadata.name) === key);
    if (i >= 0) all[i] = obj;
    else this.sorted.delete(r);
    this.byNamespace.delete(r);
  }

  remove(r: StoredResource, ns: string | undefined, name: string): Obj | undefined {
    const m = this.map(r);
    const key = keyOf(ns, name);
    const existing = m.get(key);
    if (!existing) return undefined;
    m.delete(key);
    this.sorted.delete(r);
    this.byNamespace.delete(r);
    const gone = { ...existing, metadata: { ...existing.metadata, resourceVersion: String(this.nextRv()) } };
    this.emit({ type: "DELETED", resource: r, rv: this.rv, object: gone });
    return gone;
  }

  private emit(e: StoreEvent) {
    this.history.push(e);
    if (this.history.length > HISTORY_LIMIT) {
      const dropped = this.history.splice(0, this.history.length - HISTORY_LIMIT);
      this.oldestRv = dropped[dropped.length - 1]!.rv;
    }
    for (const l of this.listeners) l(e);
    this.onWrite?.();
  }

  /** Events after `rv`, or null when that history is gone (410 Expired). */
  eventsSince(rv: number): StoreEvent[] | null {
    if (rv < this.oldestRv) return null;
    return this.history.filter((e) => e.rv > rv);
  }

  /** Forgets the event history (etcd compaction): watches may then resume only from the current resourceVersion. */
  compact(): void {
    this.history = [];
    this.oldestRv = this.rv;
  }

  subscribe(l: (e: StoreEvent) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Every object, for the state file. */
  dump(): Obj[] {
    return RESOURCE_NAMES.flatMap((r) => this.list(r));
  }

  /** Bulk load without events (initial state). */
  load(r: StoredResource, obj: Obj): void {
    this.map(r).set(keyOf(obj.metadata.namespace, obj.metadata.name), obj);
    this.sorted.delete(r);
    this.byNamespace.delete(r);
  }
}
