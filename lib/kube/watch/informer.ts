import "server-only";
import type { Watch } from "@kubernetes/client-node";
import type { ClusterTransport } from "../transport";
import type { WatchChange, WatchHealth } from "./port";
import type { WatchSource, WireObject } from "./sources";

/**
 * One resource's list + watch on one cluster, the informer loop of client-go
 * with the two guards client-node's ListWatch lacks: a watch that stays open
 * but goes silent (no event and no bookmark for N bookmark intervals) is
 * aborted and resumed, and a periodic full relist diffs the server's state
 * against what is known, so a missed event is found within the relist period.
 * 410 Expired clears the resourceVersion and relists; other failures back off.
 */

export interface InformerOptions {
  bookmarkIntervalMs: number;
  stallAfterBookmarks: number;
  relistIntervalMs: number;
  watchTimeoutSeconds: () => number;
  pageSize: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

interface Known {
  uid: string;
  resourceVersion: string;
}

type WatchEnd = "closed" | "expired" | "stalled" | "relist" | "stopped";

const keyOf = (ns: string | null | undefined, name: string) => (ns ? `${ns}/${name}` : name);

export class ResourceInformer {
  private readonly known = new Map<string, Known>();
  private resourceVersion = "";
  private abort: { controller: AbortController | null; reason: WatchEnd | null } = { controller: null, reason: null };
  private readonly timers: NodeJS.Timeout[] = [];
  private stopped = false;
  private relistWanted = false;
  private running: Promise<void> | null = null;
  /** Ends a back-off wait early (stop, or a relist asked for meanwhile). */
  private wake: (() => void) | null = null;
  private readonly stats: WatchHealth;

  constructor(
    private readonly source: WatchSource,
    private readonly transport: ClusterTransport,
    private readonly watch: Watch,
    private readonly emit: (change: WatchChange) => void,
    private readonly opts: InformerOptions,
  ) {
    this.stats = {
      cluster: transport.cluster,
      resource: source.resource,
      ...(source.secretType ? { secretType: source.secretType } : {}),
      state: "listing",
      lastActivityAt: null,
      lastListAt: null,
      lists: 0,
      stalls: 0,
      expired: 0,
      errors: 0,
      lastError: null,
      objects: 0,
    };
  }

  start(): void {
    this.running = this.loop();
    const stallMs = this.opts.bookmarkIntervalMs * this.opts.stallAfterBookmarks;
    this.timers.push(setInterval(() => this.checkStall(stallMs), Math.max(10, Math.min(this.opts.bookmarkIntervalMs, stallMs / 2))));
    this.timers.push(setInterval(() => this.relist(), this.opts.relistIntervalMs));
  }

  health(): WatchHealth {
    return { ...this.stats, objects: this.known.size };
  }

  /**
   * Drops the resourceVersion so the loop lists again and diffs; the current watch is ended. Asked while a watch is
   * being opened (no controller to abort yet), the flag ends it as soon as it is open: otherwise its events would set
   * a resourceVersion again and the relist would wait for the watch's timeout.
   */
  relist(): void {
    this.resourceVersion = "";
    this.relistWanted = true;
    this.end("relist");
  }

  private backOff(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    }).finally(() => (this.wake = null));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.end("stopped");
    this.wake?.();
    await this.running;
    this.stats.state = "stopped";
  }

  private end(reason: WatchEnd): void {
    if (!this.abort.controller) return;
    this.abort.reason = reason;
    this.abort.controller.abort();
  }

  private checkStall(stallMs: number): void {
    if (this.stats.state !== "watching" || this.stats.lastActivityAt === null) return;
    if (Date.now() - this.stats.lastActivityAt > stallMs) {
      this.stats.stalls++;
      this.end("stalled");
    }
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        if (!this.resourceVersion || this.relistWanted) await this.list();
        const end = await this.watchOnce();
        failures = 0;
        if (end === "expired") {
          this.stats.expired++;
          this.resourceVersion = "";
        }
      } catch (e) {
        if (this.stopped) break;
        failures++;
        this.stats.errors++;
        this.stats.lastError = e instanceof Error ? e.message : String(e);
        this.stats.state = "backing_off";
        const delay = Math.min(this.opts.initialBackoffMs * 2 ** (failures - 1), this.opts.maxBackoffMs);
        await this.backOff(delay * (0.8 + Math.random() * 0.4));
      }
    }
  }

  /**
   * A full paged list, diffed against what is known page by page: changes found this way are reported `via: "list"`.
   * Only the keys seen are held until the end (for the deletions), never the objects: a list of every pod of a large
   * cluster costs one page of objects at a time.
   */
  private async list(): Promise<void> {
    this.stats.state = "listing";
    this.relistWanted = false;
    const firstList = this.stats.lists === 0;
    const seen = new Set<string>();
    let cont: string | undefined;
    let listRv = "";
    let restarted = false;
    do {
      let page: { metadata?: { resourceVersion?: string; continue?: string }; items?: WireObject[] };
      try {
        page = await this.transport.request({
          method: "GET",
          path: this.source.path,
          query: { limit: this.opts.pageSize, continue: cont, fieldSelector: this.source.fieldSelector },
          ...(this.source.metadataOnly ? { accept: METADATA_LIST_ACCEPT } : {}),
          ctx: {},
          idempotent: true,
        });
      } catch (e) {
        // A continue token that expired (410) means the list must start again, once (what was reported stays known).
        if (cont && !restarted && (e as { status?: number }).status === 410) {
          restarted = true;
          cont = undefined;
          seen.clear();
          continue;
        }
        throw e;
      }
      for (const item of page.items ?? []) {
        if (!item.metadata?.name) continue;
        const key = keyOf(item.metadata.namespace, item.metadata.name);
        seen.add(key);
        this.diffOne(key, item, firstList);
      }
      cont = page.metadata?.continue || undefined;
      listRv = page.metadata?.resourceVersion ?? listRv;
    } while (cont);
    for (const [key, before] of [...this.known]) {
      if (seen.has(key)) continue;
      const [ns, name] = key.includes("/") ? (key.split("/") as [string, string]) : [null, key];
      this.report("deleted", "list", { metadata: { name, ...(ns ? { namespace: ns } : {}), uid: before.uid, resourceVersion: before.resourceVersion } }, false);
    }
    this.resourceVersion = listRv;
    this.stats.lists++;
    this.stats.lastListAt = Date.now();
  }

  private diffOne(key: string, item: WireObject, firstList: boolean): void {
    const before = this.known.get(key);
    const meta = item.metadata!;
    if (before && before.uid === meta.uid && before.resourceVersion === meta.resourceVersion) return;
    const withObject = this.source.listsCarryObjects === true;
    if (before && before.uid !== meta.uid) this.report("deleted", "list", { metadata: { ...meta, uid: before.uid, resourceVersion: before.resourceVersion } }, false);
    this.report(before && before.uid === meta.uid ? "modified" : "added", "list", item, withObject, firstList);
  }

  private report(type: WatchChange["type"], via: WatchChange["via"], obj: WireObject, withObject: boolean, firstList = false): void {
    const meta = obj.metadata ?? {};
    const key = keyOf(meta.namespace, meta.name ?? "");
    if (type === "deleted") this.known.delete(key);
    else this.known.set(key, { uid: meta.uid ?? "", resourceVersion: meta.resourceVersion ?? "" });
    const change = this.source.toChange(this.transport.cluster, type, via, obj, withObject);
    this.emit(firstList ? { ...change, firstList: true } : change);
  }

  /** One watch from the current resourceVersion until the server closes it, it fails, or it is ended here. */
  private watchOnce(): Promise<WatchEnd> {
    return new Promise<WatchEnd>((resolve, reject) => {
      let end: WatchEnd = "closed";
      let finished = false;
      this.abort = { controller: null, reason: null };
      this.stats.state = "watching";
      this.stats.lastActivityAt = Date.now();
      const query = {
        resourceVersion: this.resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: this.opts.watchTimeoutSeconds(),
        ...(this.source.fieldSelector ? { fieldSelector: this.source.fieldSelector } : {}),
      };
      const onEvent = (type: string, obj: WireObject) => {
        this.stats.lastActivityAt = Date.now();
        if (type === "ERROR") {
          if (obj.code === 410) end = "expired";
          return;
        }
        if (type === "ADDED" || type === "MODIFIED" || type === "DELETED") {
          this.report(type === "ADDED" ? "added" : type === "MODIFIED" ? "modified" : "deleted", "watch", obj, true);
        }
        if (obj.metadata?.resourceVersion) this.resourceVersion = obj.metadata.resourceVersion;
      };
      const onDone = (err: unknown) => {
        if (finished) return;
        finished = true;
        const reason = this.abort.reason;
        this.abort = { controller: null, reason: null };
        if (reason) resolve(reason);
        else if (err && (err as { statusCode?: number }).statusCode === 410) resolve("expired");
        else if (err) reject(err instanceof Error ? err : new Error(String(err)));
        else resolve(end);
      };
      this.watch
        .watch(this.source.path, query, onEvent, onDone)
        .then((controller) => {
          if (finished) return;
          this.abort.controller = controller;
          if (this.stopped) this.end("stopped");
          else if (this.relistWanted) this.end("relist");
        })
        .catch(onDone);
    });
  }
}

export const METADATA_LIST_ACCEPT = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";
