import crypto from "node:crypto";
import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import { IMMORTAL_NAMESPACES, gr, gv, type ResourceDef, type StoredResource } from "./resources";
import { Store, keyOf, type Obj } from "./store";
import {
  KubeStatusError,
  alreadyExists,
  badRequest,
  conflict,
  expired,
  forbidden,
  invalid,
  methodNotSupported,
  notFound,
  successStatus,
  unsupportedMediaType,
} from "./status";
import { compileFieldSelector, matchLabels, parseFieldSelector, parseLabelSelector } from "./selectors";
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, deepEqual, isObject } from "./patch";
import { validateObject, validateUpdate } from "./validation";
import { pruneUnknownFields } from "./schema";
import { applyDefaults, convertSecret, generateName, normalizeTimestamp, nowTimestamp, stripTypeMeta, withTypeMeta } from "./objects";
import { decodeProtobufObject } from "./protobuf";
import { admitServiceAccount } from "./controller-pods";
import { partialMetadataList, toTable, wantsPartialMetadata, wantsTable } from "./tables";
import { serveWatch, type WatchContext } from "./watch";

/** CRUD, patch and watch semantics for the stored resources, independent of HTTP plumbing. */

export interface ApiRequest {
  verb: string;
  def: ResourceDef;
  namespace?: string;
  name?: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface ApiResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const JSON_TYPES = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"];
const PATCH_TYPES = ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"];

const mediaType = (h: IncomingHttpHeaders) => String(h["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
const resourceOf = (def: ResourceDef) => def.plural as StoredResource;
const cannotHandle = (def: ResourceDef) => `${def.kind} in version ${JSON.stringify(def.version)} cannot be handled as a ${def.kind}`;

/** Watch behaviour without faults: bookmarks every minute, like the API server. */
const QUIET_WATCHES: WatchContext = { bookmarkIntervalMs: 60_000, stalled: () => false, resumeExpired: () => false };

/** apps/v1 workloads: `metadata.generation` follows spec changes; status is a subresource. */
const WORKLOAD_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet"]);

/** The index of the first object whose key is at or after `key`, in a list sorted by key (binary search). */
function firstAtOrAfter(sorted: readonly Obj[], keyFor: (o: Obj) => string, key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keyFor(sorted[mid]!) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class KubeApi {
  private timers = new Set<NodeJS.Timeout>();
  private watchers = new Set<ServerResponse>();

  constructor(
    readonly store: Store,
    private readonly opts: { namespaceDeletionDelayMs: number; watch?: WatchContext },
  ) {}

  // ---------- decoding ----------

  /** Decodes a POST/PUT body (JSON or kubectl's protobuf) and applies fieldValidation. */
  private decodeBody(req: ApiRequest, warnings: string[]): Obj {
    const type = mediaType(req.headers);
    let obj: unknown;
    if (type === "application/vnd.kubernetes.protobuf") {
      const decoded = decodeProtobufObject(req.body);
      if (!decoded) throw unsupportedMediaType(["application/json", "application/yaml"]);
      obj = decoded;
    } else if (type === "application/json" || type === "") {
      try {
        obj = JSON.parse(req.body.toString("utf8"));
      } catch (e) {
        throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
      }
    } else {
      throw unsupportedMediaType(JSON_TYPES);
    }
    if (!isObject(obj)) throw badRequest(`${cannotHandle(req.def)}: json: cannot unmarshal ${Array.isArray(obj) ? "array" : typeof obj} into Go value of type struct`);
    this.checkTypeMeta(req.def, obj);
    this.applyFieldValidation(req, obj, warnings);
    return obj;
  }

  private checkTypeMeta(def: ResourceDef, obj: Obj) {
    if (obj.kind !== undefined && obj.kind !== "" && obj.kind !== def.kind) {
      throw badRequest(`${cannotHandle(def)}: the kind of the provided object (${obj.kind}) does not match the kind of the endpoint (${def.kind})`);
    }
    if (obj.apiVersion !== undefined && obj.apiVersion !== "" && obj.apiVersion !== gv(def)) {
      throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${gv(def)})`);
    }
  }

  private applyFieldValidation(req: ApiRequest, obj: Obj, warnings: string[]) {
    const unknown = pruneUnknownFields(req.def.kind, obj);
    if (unknown.length === 0) return;
    const mode = req.query.get("fieldValidation") ?? "Warn";
    if (mode === "Strict") {
      throw badRequest(`${cannotHandle(req.def)}: strict decoding error: ${unknown.map((u) => `unknown field ${JSON.stringify(u)}`).join(", ")}`);
    }
    if (mode === "Warn") warnings.push(...unknown.map((u) => `unknown field ${JSON.stringify(u)}`));
  }

  // ---------- helpers ----------

  private requireNamespaceWritable(req: ApiRequest, objName: string) {
    if (!req.def.namespaced) return;
    const ns = this.store.get("namespaces", undefined, req.namespace!);
    if (!ns) throw notFound({ group: "", resource: "namespaces" }, req.namespace!);
    if (ns.status?.phase === "Terminating") {
      throw forbidden(gr(req.def), objName || "Unknown", `unable to create new content in namespace ${req.namespace} because it is being terminated`, [
        { reason: "NamespaceTerminating", message: `namespace ${req.namespace} is being terminated`, field: "metadata.namespace" },
      ]);
    }
  }

  private respondObject(def: ResourceDef, obj: Obj, status: number, req: ApiRequest, warnings: string[] = []): ApiResult {
    const headers: Record<string, string> = {};
    if (warnings.length) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(", ");
    return { status, body: withTypeMeta(def.kind, gv(def), obj), headers };
  }

  private isDryRun(req: ApiRequest, bodyOpts?: Obj): boolean {
    const q = req.query.getAll("dryRun");
    if (q.length > 0) {
      if (q.some((v) => v !== "All")) throw badRequest(`Invalid dry run value: [${q.join(" ")}]. Only "All" is supported`);
      return true;
    }
    return Array.isArray(bodyOpts?.dryRun) && bodyOpts!.dryRun.includes("All");
  }

  private bumpGeneration(def: ResourceDef, oldObj: Obj, newObj: Obj) {
    if (!WORKLOAD_KINDS.has(def.kind)) return;
    newObj.metadata.generation = (oldObj.metadata.generation ?? 1) + (deepEqual(oldObj.spec, newObj.spec) ? 0 : 1);
  }

  // ---------- list / get ----------

  list(req: ApiRequest): ApiResult {
    const def = req.def;
    const labelReqs = parseLabelSelector(req.query.get("labelSelector"));
    const fieldMatch = compileFieldSelector(def.plural, parseFieldSelector(req.query.get("fieldSelector")));
    if (!def.stored) {
      const listMeta = { resourceVersion: String(this.store.rv) };
      if (wantsTable(req.headers)) return { status: 200, body: toTable(def, [], listMeta, req.query.get("includeObject")) };
      return { status: 200, body: { kind: def.listKind, apiVersion: gv(def), metadata: listMeta, items: [] } };
    }
    // Sorted by key (etcd's order). A page is read as the API server reads etcd: from the continue key, only as far
    // as the page and the next match (is there more?), not by filtering the whole collection for every page.
    const stored = this.store.list(resourceOf(def), def.namespaced ? req.namespace : undefined);
    const matches = (o: Obj) => matchLabels(labelReqs, o.metadata.labels) && fieldMatch(o);
    const keyFor = (o: Obj) => (req.namespace || !def.namespaced ? o.metadata.name : keyOf(o.metadata.namespace, o.metadata.name));
    let start = 0;
    const cont = req.query.get("continue");
    if (cont) {
      let startKey: string;
      try {
        const token = JSON.parse(Buffer.from(cont, "base64url").toString("utf8"));
        if (token.v !== "meta.k8s.io/v1" || typeof token.start !== "string") throw new Error("bad token");
        if (token.rv < this.store.oldestRv) {
          throw expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.");
        }
        startKey = token.start.replace(/\u0000$/, "");
      } catch (e) {
        if (e instanceof KubeStatusError) throw e;
        throw badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
      }
      start = firstAtOrAfter(stored, keyFor, startKey);
    }
    const limitRaw = Number(req.query.get("limit") ?? "0");
    const limit = Number.isFinite(limitRaw) && limitRaw > 0 ? Math.floor(limitRaw) : 0;
    const page: Obj[] = [];
    let at = start;
    for (; at < stored.length && (!limit || page.length < limit); at++) if (matches(stored[at]!)) page.push(stored[at]!);
    let next: Obj | undefined;
    for (; limit && !next && at < stored.length; at++) if (matches(stored[at]!)) next = stored[at];
    const listMeta: Obj = { resourceVersion: String(this.store.rv) };
    if (next) {
      listMeta.continue = Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv: this.store.rv, start: `${keyFor(next)}\u0000` })).toString("base64url");
      // Without selectors every stored object matches, so what remains is counted by position.
      if (labelReqs.length === 0 && !req.query.get("fieldSelector")) listMeta.remainingItemCount = stored.length - start - limit;
    }
    if (wantsTable(req.headers)) return { status: 200, body: toTable(def, page, listMeta, req.query.get("includeObject")) };
    if (wantsPartialMetadata(req.headers)) return { status: 200, body: partialMetadataList(page, listMeta) };
    return { status: 200, body: { kind: def.listKind, apiVersion: gv(def), metadata: listMeta, items: page.map(stripTypeMeta) } };
  }

  private mustGet(req: ApiRequest): Obj {
    if (!req.def.stored) throw notFound(gr(req.def), req.name!);
    const obj = this.store.get(resourceOf(req.def), req.def.namespaced ? req.namespace : undefined, req.name!);
    if (!obj) throw notFound(gr(req.def), req.name!);
    return obj;
  }

  get(req: ApiRequest): ApiResult {
    const obj = this.mustGet(req);
    if (wantsTable(req.headers)) {
      return { status: 200, body: toTable(req.def, [obj], { resourceVersion: obj.metadata.resourceVersion }, req.query.get("includeObject")) };
    }
    return this.respondObject(req.def, obj, 200, req);
  }

  // ---------- create ----------

  create(req: ApiRequest): ApiResult {
    const def = req.def;
    if (!def.stored) throw methodNotSupported(gr(def), "create");
    const warnings: string[] = [];
    const obj = this.decodeBody(req, warnings);
    const meta: Obj = (obj.metadata = isObject(obj.metadata) ? obj.metadata : {});
    if (def.namespaced) {
      if (meta.namespace && meta.namespace !== req.namespace) {
        throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
      }
      meta.namespace = req.namespace;
    } else delete meta.namespace;
    if (!meta.name && meta.generateName) meta.name = generateName(String(meta.generateName));
    if (meta.resourceVersion && /^\d+$/.test(String(meta.resourceVersion)) && meta.resourceVersion !== "0") {
      throw new KubeStatusError(500, "", "resourceVersion should not be set on objects to be created");
    }
    delete meta.resourceVersion;
    if (def.kind === "Secret") convertSecret(obj, cannotHandle(def));
    const dryRun = this.isDryRun(req);
    this.requireNamespaceWritable(req, String(meta.name ?? meta.generateName ?? ""));
    if (def.kind === "Pod") this.admitPod(obj, req);
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.generation;
    delete meta.managedFields;
    delete meta.selfLink;
    meta.uid = crypto.randomUUID();
    meta.creationTimestamp = nowTimestamp();
    applyDefaults(def.kind, obj);
    const errs = validateObject(def.kind, obj);
    if (errs.length) throw invalid(def.kind, def.group, String(meta.name ?? ""), errs);
    if (this.store.get(resourceOf(def), meta.namespace, meta.name)) throw alreadyExists(gr(def), meta.name);
    const stored = stripTypeMeta(obj);
    if (dryRun) return this.respondObject(def, stored, 201, req, warnings);
    stored.metadata = { ...orderMeta(stored.metadata), resourceVersion: String(this.store.nextRv()) };
    this.store.put(resourceOf(def), stored, "ADDED");
    if (def.kind === "Namespace") this.ensureDefaultServiceAccount(stored.metadata.name);
    return this.respondObject(def, stored, 201, req, warnings);
  }

  /** ServiceAccount admission (shared with the workload controllers' pods). */
  private admitPod(pod: Obj, req: ApiRequest) {
    const refused = admitServiceAccount(this.store, req.namespace!, pod);
    if (refused) throw forbidden(gr(req.def), String(pod.metadata.name ?? ""), refused);
  }

  /** The serviceaccount controller: every namespace has a `default` ServiceAccount. */
  ensureDefaultServiceAccount(ns: string) {
    const nsObj = this.store.get("namespaces", undefined, ns);
    if (!nsObj || nsObj.status?.phase === "Terminating") return;
    if (this.store.get("serviceaccounts", ns, "default")) return;
    const sa = {
      metadata: { name: "default", namespace: ns, uid: crypto.randomUUID(), resourceVersion: String(this.store.nextRv()), creationTimestamp: nowTimestamp() },
    };
    this.store.put("serviceaccounts", sa, "ADDED");
  }

  // ---------- update / patch ----------

  update(req: ApiRequest): ApiResult {
    const def = req.def;
    if (!def.stored) throw methodNotSupported(gr(def), "update");
    const warnings: string[] = [];
    const obj = this.decodeBody(req, warnings);
    obj.metadata = isObject(obj.metadata) ? obj.metadata : {};
    if (obj.metadata.name !== undefined && obj.metadata.name !== req.name) {
      throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${req.name})`);
    }
    if (def.namespaced && obj.metadata.namespace && obj.metadata.namespace !== req.namespace) {
      throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
    if (def.kind === "Secret") convertSecret(obj, cannotHandle(def));
    const current = this.mustGet(req);
    return this.commitUpdate(req, current, obj, warnings, this.isDryRun(req));
  }

  patch(req: ApiRequest, forceConflict: boolean): ApiResult {
    const def = req.def;
    if (!def.stored) throw methodNotSupported(gr(def), "patch");
    const type = mediaType(req.headers);
    if (!PATCH_TYPES.includes(type)) throw unsupportedMediaType(PATCH_TYPES);
    let body: unknown;
    try {
      body = JSON.parse(req.body.toString("utf8"));
    } catch (e) {
      throw badRequest(`error decoding patch: ${(e as Error).message}`);
    }
    const current = this.mustGet(req);
    if (forceConflict) throw conflict(gr(def), req.name!);
    const original = withTypeMeta(def.kind, gv(def), current);
    let patched: unknown;
    if (type === "application/json-patch+json") patched = applyJsonPatch(original, body);
    else if (type === "application/merge-patch+json") patched = applyMergePatch(original, body);
    else patched = applyStrategicMergePatch(def.kind, original, body);
    if (!isObject(patched)) throw badRequest(`${cannotHandle(def)}: patch result is not an object`);
    this.checkTypeMeta(def, patched);
    const warnings: string[] = [];
    this.applyFieldValidation(req, patched, warnings);
    const meta: Obj = isObject(patched.metadata) ? patched.metadata : (patched.metadata = {});
    if (meta.name !== req.name) throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${req.name})`);
    if (def.namespaced && meta.namespace !== req.namespace) throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
    if (def.kind === "Secret") convertSecret(patched, cannotHandle(def));
    return this.commitUpdate(req, current, patched, warnings, this.isDryRun(req));
  }

  private commitUpdate(req: ApiRequest, current: Obj, incoming: Obj, warnings: string[], dryRun: boolean): ApiResult {
    const def = req.def;
    const meta = incoming.metadata;
    const sentRv = meta.resourceVersion;
    if (sentRv !== undefined && sentRv !== "" && sentRv !== current.metadata.resourceVersion) {
      throw conflict(gr(def), req.name!);
    }
    const next = stripTypeMeta(incoming);
    next.metadata = orderMeta({
      ...meta,
      name: current.metadata.name,
      namespace: current.metadata.namespace,
      uid: current.metadata.uid,
      creationTimestamp: current.metadata.creationTimestamp,
      resourceVersion: current.metadata.resourceVersion,
    });
    if (!def.namespaced) delete next.metadata.namespace;
    for (const k of ["deletionTimestamp", "deletionGracePeriodSeconds", "generation"]) {
      if (current.metadata[k] !== undefined) next.metadata[k] = current.metadata[k];
      else delete next.metadata[k];
    }
    delete next.metadata.managedFields;
    if (typeof next.metadata.creationTimestamp === "string") next.metadata.creationTimestamp = normalizeTimestamp(next.metadata.creationTimestamp);
    // The main resource never changes status for these kinds (status is a subresource).
    if (def.kind === "Namespace" || def.kind === "Pod" || WORKLOAD_KINDS.has(def.kind)) {
      if (current.status !== undefined) next.status = structuredClone(current.status);
      else delete next.status;
    }
    if (def.kind === "Namespace") {
      next.spec = structuredClone(current.spec);
      next.metadata.labels = { ...(next.metadata.labels ?? {}), "kubernetes.io/metadata.name": current.metadata.name };
    }
    if (def.kind === "Secret") next.type = next.type || "Opaque";
    if (def.kind === "Pod" || WORKLOAD_KINDS.has(def.kind)) applyDefaults(def.kind, next);
    this.bumpGeneration(def, current, next);
    const errs = [...validateObject(def.kind, next), ...validateUpdate(def.kind, current, next)];
    if (errs.length) throw invalid(def.kind, def.group, req.name!, errs);
    if (def.kind === "Pod" && !deepEqual(podImmutableView(current), podImmutableView(next))) {
      throw invalid(def.kind, def.group, req.name!, [
        { type: "FieldValueForbidden", field: "spec", detail: "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)" },
      ]);
    }
    if (deepEqual(next, current)) return this.respondObject(def, current, 200, req, warnings);
    if (dryRun) return this.respondObject(def, next, 200, req, warnings);
    next.metadata.resourceVersion = String(this.store.nextRv());
    this.store.put(resourceOf(def), next, "MODIFIED");
    return this.respondObject(def, next, 200, req, warnings);
  }

  // ---------- delete ----------

  private deleteOptions(req: ApiRequest): Obj {
    if (req.body.length === 0) return {};
    const type = mediaType(req.headers);
    if (type === "application/vnd.kubernetes.protobuf") return decodeProtobufObject(req.body) ?? {};
    try {
      const o = JSON.parse(req.body.toString("utf8"));
      return isObject(o) ? o : {};
    } catch (e) {
      throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
    }
  }

  delete(req: ApiRequest): ApiResult {
    const def = req.def;
    if (!def.stored) throw methodNotSupported(gr(def), "delete");
    const opts = this.deleteOptions(req);
    const current = this.mustGet(req);
    const pre = opts.preconditions;
    if (isObject(pre)) {
      if (pre.uid && pre.uid !== current.metadata.uid) {
        throw conflict(gr(def), req.name!, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`);
      }
      if (pre.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
        throw conflict(gr(def), req.name!, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`);
      }
    }
    const dryRun = this.isDryRun(req, opts);
    if (def.kind === "Namespace") return this.deleteNamespace(req, current, dryRun);
    if (dryRun) return this.deleteResponse(def, current);
    const gone = this.store.remove(resourceOf(def), current.metadata.namespace, current.metadata.name)!;
    if (def.kind === "ServiceAccount" && current.metadata.name === "default") this.ensureDefaultServiceAccount(current.metadata.namespace);
    return this.deleteResponse(def, gone);
  }

  /** Secrets and apps/v1 workloads answer with a Status; Pods and ServiceAccounts return the deleted object. */
  private deleteResponse(def: ResourceDef, obj: Obj): ApiResult {
    if (def.kind === "Pod" || def.kind === "ServiceAccount") return { status: 200, body: withTypeMeta(def.kind, gv(def), obj) };
    const details: Obj = { name: obj.metadata.name };
    if (def.group) details.group = def.group;
    details.kind = def.plural;
    details.uid = obj.metadata.uid;
    return { status: 200, body: successStatus(details) };
  }

  private deleteNamespace(req: ApiRequest, current: Obj, dryRun: boolean): ApiResult {
    const name = current.metadata.name as string;
    if (IMMORTAL_NAMESPACES.has(name)) throw forbidden(gr(req.def), name, "this namespace may not be deleted");
    if (current.metadata.deletionTimestamp) {
      throw conflict(gr(req.def), name, "The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.");
    }
    const next = structuredClone(current);
    next.metadata.deletionTimestamp = nowTimestamp();
    next.status = { phase: "Terminating" };
    if (dryRun) return this.respondObject(req.def, next, 200, req);
    next.metadata.resourceVersion = String(this.store.nextRv());
    this.store.put("namespaces", next, "MODIFIED");
    this.schedule(() => this.purgeNamespace(name), this.opts.namespaceDeletionDelayMs);
    return this.respondObject(req.def, next, 200, req);
  }

  /** The namespace controller: delete everything in the namespace, then the namespace itself. */
  purgeNamespace(name: string) {
    const ns = this.store.get("namespaces", undefined, name);
    if (!ns || ns.status?.phase !== "Terminating") return;
    for (const r of ["pods", "deployments", "statefulsets", "daemonsets", "events", "secrets", "serviceaccounts", "roles", "rolebindings"] as const) {
      for (const o of [...this.store.list(r, name)]) this.store.remove(r, name, o.metadata.name);
    }
    this.store.remove("namespaces", undefined, name);
  }

  deleteCollection(req: ApiRequest): ApiResult {
    const def = req.def;
    if (!def.stored || !def.verbs.includes("deletecollection")) throw methodNotSupported(gr(def), "deletecollection");
    const opts = this.deleteOptions(req);
    const dryRun = this.isDryRun(req, opts);
    const labelReqs = parseLabelSelector(req.query.get("labelSelector"));
    const fieldMatch = compileFieldSelector(def.plural, parseFieldSelector(req.query.get("fieldSelector")));
    const targets = this.store
      .list(resourceOf(def), req.namespace)
      .filter((o) => matchLabels(labelReqs, o.metadata.labels) && fieldMatch(o));
    const deleted = dryRun ? targets : targets.map((o) => this.store.remove(resourceOf(def), o.metadata.namespace, o.metadata.name)!);
    if (!dryRun && def.kind === "ServiceAccount" && req.namespace) this.ensureDefaultServiceAccount(req.namespace);
    return { status: 200, body: { kind: def.listKind, apiVersion: gv(def), metadata: { resourceVersion: String(this.store.rv) }, items: deleted.map(stripTypeMeta) } };
  }

  // ---------- watch ----------

  watch(req: ApiRequest, res: ServerResponse): void {
    serveWatch(this.store, req, res, this.opts.watch ?? QUIET_WATCHES);
    if (res.writableEnded) return;
    this.watchers.add(res);
    res.on("close", () => this.watchers.delete(res));
  }

  private schedule(fn: () => void, ms: number) {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  close() {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const w of this.watchers) w.destroy();
    this.watchers.clear();
  }
}

/** Metadata in the order a real server serialises it (readability of `-o yaml`). */
function orderMeta(meta: Obj): Obj {
  const order = ["name", "generateName", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers"];
  const out: Obj = {};
  for (const k of order) if (meta[k] !== undefined && meta[k] !== null) out[k] = meta[k];
  for (const [k, v] of Object.entries(meta)) if (!(k in out) && v !== undefined && v !== null) out[k] = v;
  return out;
}

/** The parts of a pod spec that an update may not change. */
function podImmutableView(p: Obj): unknown {
  const spec = structuredClone(p.spec ?? {});
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) delete c.image;
  delete spec.activeDeadlineSeconds;
  delete spec.tolerations;
  delete spec.terminationGracePeriodSeconds;
  return spec;
}
