import type { ServerResponse } from "node:http";
import { gv } from "./resources";
import { keyOf, type Obj, type Store, type StoreEvent } from "./store";
import { expired } from "./status";
import { compileFieldSelector, matchLabels, parseFieldSelector, parseLabelSelector } from "./selectors";
import { withTypeMeta } from "./objects";
import { partialMetadata, toTable, wantsPartialMetadata, wantsTable } from "./tables";
import type { ApiRequest } from "./api";

/** What a watch needs from the server beyond the store: bookmark cadence and the watch faults. */
export interface WatchContext {
  /** How often BOOKMARK events go to watches that asked for them (the API server: about a minute). */
  bookmarkIntervalMs: number;
  /** True while the `stallWatches` fault is set: the stream stays open and goes silent for good. */
  stalled: () => boolean;
  /** True while the `watchResumeExpired` fault is set: every resume answers 410 as after a compaction. */
  resumeExpired: () => boolean;
}

/**
 * A watch stream: newline-delimited JSON events held open until timeoutSeconds
 * (default 30 min) or client disconnect. Without a resourceVersion it starts
 * with synthetic ADDED events; with one it replays history after it (410 when
 * that history is gone). Objects that start/stop matching the selectors are
 * sent as ADDED/DELETED, as the watch cache does. With `allowWatchBookmarks=true`
 * BOOKMARK events carry the current resourceVersion every bookmark interval.
 * A stalled watch (fault) keeps its connection and never writes again, the
 * way a watch behind a restarted API server or a dead proxy goes quiet.
 */
export function serveWatch(store: Store, req: ApiRequest, res: ServerResponse, ctx: WatchContext): void {
  const def = req.def;
  const labelReqs = parseLabelSelector(req.query.get("labelSelector"));
  const fieldReqs = parseFieldSelector(req.query.get("fieldSelector"));
  if (req.name) fieldReqs.push({ field: "metadata.name", op: "=", value: req.name });
  const fieldMatch = compileFieldSelector(def.plural, fieldReqs);
  const ns = def.namespaced ? req.namespace : undefined;
  const resource = def.plural as StoreEvent["resource"];
  const matches = (o: Obj) => (ns === undefined || o.metadata.namespace === ns) && matchLabels(labelReqs, o.metadata.labels) && fieldMatch(o);
  const rvParam = req.query.get("resourceVersion") ?? "";
  let backlog: StoreEvent[] = [];
  if (def.stored && rvParam !== "" && rvParam !== "0") {
    const since = ctx.resumeExpired() ? null : store.eventsSince(Number(rvParam));
    if (since === null) {
      // Under the fault the compaction is always just past the requested version.
      const oldest = ctx.resumeExpired() ? Math.max(store.rv, Number(rvParam) + 1) : store.oldestRv;
      res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private" });
      res.end(JSON.stringify({ type: "ERROR", object: expired(`too old resource version: ${Number(rvParam)} (${oldest})`).toStatus() }) + "\n");
      return;
    }
    backlog = since.filter((e) => e.resource === def.plural);
  }
  res.writeHead(200, { "Content-Type": "application/json", "Transfer-Encoding": "chunked", "Cache-Control": "no-cache, private" });
  res.flushHeaders();
  const table = wantsTable(req.headers);
  const metadataOnly = wantsPartialMetadata(req.headers);
  const includeObject = req.query.get("includeObject");
  const visible = new Set<string>();
  let silent = false;
  // Ended (its timeout) or closed by the client: a bookmark tick or a store event can still come before "close" is
  // emitted, and a write after the end is an unhandled 'error' that would take the whole simulator down.
  const over = () => res.writableEnded || res.destroyed;
  const quiet = () => over() || (silent ||= ctx.stalled());
  const send = (type: string, o: Obj) => {
    if (quiet()) return;
    const object = table
      ? toTable(def, [o], { resourceVersion: o.metadata.resourceVersion }, includeObject)
      : metadataOnly
        ? partialMetadata(o)
        : withTypeMeta(def.kind, gv(def), o);
    res.write(JSON.stringify({ type, object }) + "\n");
  };
  const onEvent = (e: StoreEvent) => {
    if (e.resource !== def.plural) return;
    const key = keyOf(e.object.metadata.namespace, e.object.metadata.name);
    const now = matches(e.object);
    if (e.type === "DELETED") {
      if (now || visible.has(key)) send("DELETED", e.object);
      visible.delete(key);
    } else if (now) {
      send(e.type === "ADDED" || !visible.has(key) ? "ADDED" : "MODIFIED", e.object);
      visible.add(key);
    } else if (visible.has(key)) {
      send("DELETED", e.object);
      visible.delete(key);
    }
  };
  if (def.stored && (rvParam === "" || rvParam === "0")) {
    for (const o of store.list(resource, ns)) if (matches(o)) onEvent({ type: "ADDED", resource, rv: 0, object: o });
  } else if (def.stored) {
    // Objects that exist now and match count as visible for MODIFIED/DELETED transitions in the replay.
    for (const o of store.list(resource, ns)) if (matches(o)) visible.add(keyOf(o.metadata.namespace, o.metadata.name));
    for (const e of backlog) onEvent(e);
  }
  const unsubscribe = def.stored ? store.subscribe(onEvent) : () => {};
  const wantsBookmarks = req.query.get("allowWatchBookmarks") === "true" && def.stored && !table;
  const bookmarks = wantsBookmarks
    ? setInterval(() => {
        if (quiet()) return;
        const typeMeta = metadataOnly ? { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1" } : { kind: def.kind, apiVersion: gv(def) };
        const object = { ...typeMeta, metadata: { resourceVersion: String(store.rv) } };
        res.write(JSON.stringify({ type: "BOOKMARK", object }) + "\n");
      }, Math.max(10, ctx.bookmarkIntervalMs))
    : null;
  const timeoutSeconds = Number(req.query.get("timeoutSeconds") ?? "0");
  // A stalled stream ignores its timeout too: the client must notice the silence itself.
  const stop = () => {
    clearTimeout(timer);
    if (bookmarks) clearInterval(bookmarks);
    unsubscribe();
  };
  const timer = setTimeout(() => {
    if (quiet()) return;
    stop();
    res.end();
  }, timeoutSeconds > 0 ? timeoutSeconds * 1000 : 30 * 60 * 1000);
  res.on("close", stop);
}
