import crypto from "node:crypto";
import { SYSTEM_NAMESPACES, resourceForKind, type StoredResource } from "./resources";
import type { Obj, Store } from "./store";
import { applyDefaults, convertSecret, normalizeTimestamp, nowTimestamp } from "./objects";
import { validateObject } from "./validation";
import { pruneUnknownFields } from "./schema";
import { isObject } from "./patch";

/**
 * Loads initial objects (from options or a state file) straight into the store:
 * system fields are filled where missing (given uid and creationTimestamp are
 * kept, so seeded clusters can look years old), defaults applied, and every
 * object validated so a broken fixture fails loudly at start.
 */
export function seedStore(store: Store, objects: unknown[]): void {
  const prepared: { resource: StoredResource; obj: Obj }[] = [];
  for (const raw of objects) {
    if (!isObject(raw)) throw new Error("initial object is not a JSON object");
    const obj = structuredClone(raw) as Obj;
    const def = resourceForKind(obj.apiVersion, obj.kind);
    if (!def || !def.stored) throw new Error(`initial object of unsupported kind ${obj.apiVersion}/${obj.kind}`);
    const unknown = pruneUnknownFields(def.kind, obj);
    if (unknown.length) throw new Error(`initial ${def.kind} ${obj.metadata?.name}: unknown fields ${unknown.join(", ")}`);
    delete obj.kind;
    delete obj.apiVersion;
    const meta: Obj = (obj.metadata = isObject(obj.metadata) ? obj.metadata : {});
    if (def.namespaced) meta.namespace ||= "default";
    else delete meta.namespace;
    meta.uid ||= crypto.randomUUID();
    meta.creationTimestamp = normalizeTimestamp(meta.creationTimestamp) ?? nowTimestamp();
    if (def.kind === "Secret") convertSecret(obj);
    const phase = def.kind === "Namespace" ? obj.status?.phase : undefined;
    applyDefaults(def.kind, obj);
    if (phase === "Terminating" && meta.deletionTimestamp) obj.status.phase = "Terminating";
    const errs = validateObject(def.kind, obj);
    if (errs.length) {
      throw new Error(`initial ${def.kind} ${meta.namespace ? `${meta.namespace}/` : ""}${meta.name}: ${errs.map((e) => `${e.field}: ${e.detail ?? e.type}`).join("; ")}`);
    }
    prepared.push({ resource: def.plural as StoredResource, obj });
  }
  const namespaces = new Set(prepared.filter((p) => p.resource === "namespaces").map((p) => p.obj.metadata.name as string));
  const wanted = new Set<string>(SYSTEM_NAMESPACES);
  for (const p of prepared) if (p.obj.metadata.namespace) wanted.add(p.obj.metadata.namespace);
  // Namespaces the cluster must have but the fixture omitted are as old as the oldest object.
  let oldest: string | undefined;
  for (const p of prepared) if (!oldest || p.obj.metadata.creationTimestamp < oldest) oldest = p.obj.metadata.creationTimestamp;
  for (const ns of wanted) {
    if (namespaces.has(ns)) continue;
    const obj: Obj = { metadata: { name: ns, uid: crypto.randomUUID(), creationTimestamp: oldest ?? nowTimestamp() } };
    applyDefaults("Namespace", obj);
    prepared.unshift({ resource: "namespaces", obj });
    namespaces.add(ns);
  }
  const order: StoredResource[] = ["namespaces", "serviceaccounts", "secrets", "deployments", "statefulsets", "daemonsets", "pods"];
  prepared.sort((a, b) => order.indexOf(a.resource) - order.indexOf(b.resource));
  const hasDefaultSa = new Set(prepared.filter((p) => p.resource === "serviceaccounts" && p.obj.metadata.name === "default").map((p) => p.obj.metadata.namespace));
  const nsObjects = new Map(prepared.filter((p) => p.resource === "namespaces").map((p) => [p.obj.metadata.name as string, p.obj]));
  for (const ns of namespaces) {
    if (hasDefaultSa.has(ns)) continue;
    const nsObj = nsObjects.get(ns)!;
    prepared.push({
      resource: "serviceaccounts",
      obj: { metadata: { name: "default", namespace: ns, uid: crypto.randomUUID(), creationTimestamp: nsObj.metadata.creationTimestamp } },
    });
  }
  for (const { resource, obj } of prepared) {
    obj.metadata.resourceVersion = String(store.nextRv());
    store.load(resource, obj);
  }
}
