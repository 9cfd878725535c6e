import { badRequest, genericInvalid } from "./status";

/**
 * The three PATCH flavours a kube-apiserver accepts for built-in kinds:
 * RFC 6902 JSON Patch, RFC 7386 merge patch, and strategic merge patch with
 * the merge keys of the k8s.io/api struct tags.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

export const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

// ---------- JSON Patch ----------

class PatchApplyError extends Error {}

function parsePointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw new PatchApplyError(`invalid JSON pointer ${JSON.stringify(path)}`);
  return path
    .slice(1)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function resolveParent(doc: Json, tokens: string[], op: string, path: string): { parent: Json; last: string } {
  let cur: Json = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) {
      const i = Number(t);
      if (!/^\d+$/.test(t) || i >= cur.length) throw new PatchApplyError(`${op} operation does not apply: doc is missing path: ${JSON.stringify(path)}`);
      cur = cur[i]!;
    } else if (isObject(cur) && Object.prototype.hasOwnProperty.call(cur, t)) {
      cur = cur[t]!;
    } else {
      throw new PatchApplyError(`${op} operation does not apply: doc is missing path: ${JSON.stringify(path)}`);
    }
  }
  if (!Array.isArray(cur) && !isObject(cur)) {
    throw new PatchApplyError(`${op} operation does not apply: doc is missing path: ${JSON.stringify(path)}`);
  }
  return { parent: cur, last: tokens[tokens.length - 1]! };
}

function getAt(doc: Json, path: string, op: string): Json {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return doc;
  const { parent, last } = resolveParent(doc, tokens, op, path);
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!/^\d+$/.test(last) || i >= parent.length) throw new PatchApplyError(`${op} operation does not apply: doc is missing path: ${JSON.stringify(path)}`);
    return parent[i]!;
  }
  const o = parent as JsonObject;
  if (!Object.prototype.hasOwnProperty.call(o, last)) throw new PatchApplyError(`${op} operation does not apply: doc is missing key: ${JSON.stringify(path)}`);
  return o[last]!;
}

function addAt(doc: Json, path: string, value: Json, op = "add"): Json {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return value;
  const { parent, last } = resolveParent(doc, tokens, op, path);
  if (Array.isArray(parent)) {
    if (last === "-") parent.push(value);
    else {
      const i = Number(last);
      if (!/^\d+$/.test(last) || i > parent.length) throw new PatchApplyError(`${op} operation does not apply: doc is missing path: ${JSON.stringify(path)}`);
      parent.splice(i, 0, value);
    }
  } else (parent as JsonObject)[last] = value;
  return doc;
}

function removeAt(doc: Json, path: string, op = "remove"): Json {
  const tokens = parsePointer(path);
  if (tokens.length === 0) throw new PatchApplyError(`${op} operation does not apply: cannot remove the document root`);
  const { parent, last } = resolveParent(doc, tokens, op, path);
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!/^\d+$/.test(last) || i >= parent.length) throw new PatchApplyError(`${op} operation does not apply: doc is missing path: ${JSON.stringify(path)}`);
    parent.splice(i, 1);
  } else {
    const o = parent as JsonObject;
    if (!Object.prototype.hasOwnProperty.call(o, last)) throw new PatchApplyError(`${op} operation does not apply: doc is missing key: ${JSON.stringify(path)}`);
    delete o[last];
  }
  return doc;
}

/** Applies an RFC 6902 patch; 400 when the body is not an op array, 422 (generic) when an op fails. */
export function applyJsonPatch(original: unknown, patchBody: unknown): unknown {
  if (!Array.isArray(patchBody)) {
    const what = isObject(patchBody) ? "object" : typeof patchBody;
    throw badRequest(`json: cannot unmarshal ${what} into Go value of type jsonpatch.Patch`);
  }
  if (patchBody.length > 10000) {
    throw badRequest(`The allowed maximum operations in a JSON patch is 10000, got ${patchBody.length}`);
  }
  let doc = structuredClone(original) as Json;
  try {
    for (const raw of patchBody) {
      if (!isObject(raw) || typeof raw.op !== "string") throw new PatchApplyError("unexpected operation");
      const path = typeof raw.path === "string" ? raw.path : "";
      const from = typeof raw.from === "string" ? raw.from : "";
      switch (raw.op) {
        case "add":
          if (!("value" in raw)) throw new PatchApplyError("add operation missing value");
          doc = addAt(doc, path, structuredClone(raw.value!));
          break;
        case "remove":
          doc = removeAt(doc, path);
          break;
        case "replace":
          getAt(doc, path, "replace");
          if (parsePointer(path).length === 0) doc = structuredClone(raw.value!);
          else {
            const { parent, last } = resolveParent(doc, parsePointer(path), "replace", path);
            if (Array.isArray(parent)) parent[Number(last)] = structuredClone(raw.value!);
            else (parent as JsonObject)[last] = structuredClone(raw.value!);
          }
          break;
        case "move": {
          const v = getAt(doc, from, "move");
          doc = removeAt(doc, from, "move");
          doc = addAt(doc, path, v, "move");
          break;
        }
        case "copy":
          doc = addAt(doc, path, structuredClone(getAt(doc, from, "copy")), "copy");
          break;
        case "test":
          if (!deepEqual(getAt(doc, path, "test"), raw.value ?? null)) throw new PatchApplyError("testing value failed");
          break;
        default:
          throw new PatchApplyError(`unexpected operation ${raw.op}`);
      }
    }
  } catch (e) {
    if (e instanceof PatchApplyError) throw genericInvalid();
    throw e;
  }
  return doc;
}

// ---------- Merge patch ----------

/** RFC 7386: objects merge recursively, null deletes, everything else replaces. */
export function applyMergePatch(original: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const result: JsonObject = isObject(original) ? structuredClone(original) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete result[k];
    else result[k] = applyMergePatch(result[k], v) as Json;
  }
  return result;
}

// ---------- Strategic merge patch ----------

/** How a list field merges under SMP: by a key, as a set of primitives, or (absent) replaced. */
export type ListStrategy = { mergeKey: string } | { primitive: true };

function podSpecStrategies(prefix: string): Record<string, ListStrategy> {
  const s: Record<string, ListStrategy> = {
    [`${prefix}.imagePullSecrets`]: { mergeKey: "name" },
    [`${prefix}.volumes`]: { mergeKey: "name" },
    [`${prefix}.hostAliases`]: { mergeKey: "ip" },
    [`${prefix}.topologySpreadConstraints`]: { mergeKey: "topologyKey" },
    [`${prefix}.resourceClaims`]: { mergeKey: "name" },
    [`${prefix}.schedulingGates`]: { mergeKey: "name" },
  };
  for (const c of ["containers", "initContainers", "ephemeralContainers"]) {
    s[`${prefix}.${c}`] = { mergeKey: "name" };
    s[`${prefix}.${c}.env`] = { mergeKey: "name" };
    s[`${prefix}.${c}.ports`] = { mergeKey: "containerPort" };
    s[`${prefix}.${c}.volumeMounts`] = { mergeKey: "mountPath" };
    s[`${prefix}.${c}.volumeDevices`] = { mergeKey: "devicePath" };
  }
  return s;
}

const META: Record<string, ListStrategy> = {
  "metadata.finalizers": { primitive: true },
  "metadata.ownerReferences": { mergeKey: "uid" },
};

/** apps/v1 workloads: the pod template's strategies, plus status conditions. */
const WORKLOAD: Record<string, ListStrategy> = {
  ...META,
  ...podSpecStrategies("spec.template.spec"),
  "spec.template.metadata.finalizers": { primitive: true },
  "status.conditions": { mergeKey: "type" },
};

/**
 * Merge strategies per kind, from the patchStrategy/patchMergeKey struct tags.
 * Note ServiceAccount.imagePullSecrets has NO strategy (kubernetes#72475):
 * an SMP carrying it replaces the list.
 */
export const SMP_STRATEGIES: Record<string, Record<string, ListStrategy>> = {
  Namespace: { ...META, "status.conditions": { mergeKey: "type" } },
  Secret: { ...META },
  ServiceAccount: { ...META, secrets: { mergeKey: "name" } },
  Pod: { ...META, ...podSpecStrategies("spec"), "status.conditions": { mergeKey: "type" } },
  Deployment: WORKLOAD,
  StatefulSet: WORKLOAD,
  DaemonSet: WORKLOAD,
};

const DELETE = Symbol("delete");

function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.filter((x) => !(isObject(x) && x.$patch !== undefined && Object.keys(x).length === 1)).map(stripDirectives);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith("$")) out[k] = stripDirectives(x);
  return out;
}

function mergeObject(orig: Json | undefined, patch: JsonObject, path: string, strategies: Record<string, ListStrategy>): Json | typeof DELETE {
  const directive = patch.$patch;
  if (directive === "delete") return DELETE;
  if (directive === "replace") return stripDirectives(patch);
  if (directive !== undefined) throw badRequest(`Unrecognized $patch directive: ${JSON.stringify(directive)}`);
  const result: JsonObject = isObject(orig) ? { ...orig } : {};
  const retainKeys = Array.isArray(patch.$retainKeys) ? (patch.$retainKeys as string[]) : undefined;
  for (const [key, value] of Object.entries(patch)) {
    if (key === "$patch" || key === "$retainKeys" || key.startsWith("$setElementOrder/")) continue;
    if (key.startsWith("$deleteFromPrimitiveList/")) {
      const field = key.slice("$deleteFromPrimitiveList/".length);
      const list = result[field];
      if (Array.isArray(list) && Array.isArray(value)) {
        result[field] = list.filter((x) => !value.some((d) => deepEqual(d, x)));
      }
      continue;
    }
    if (key.startsWith("$")) throw badRequest(`unknown patch directive ${JSON.stringify(key)}`);
    const childPath = path ? `${path}.${key}` : key;
    if (value === null) {
      delete result[key];
    } else if (Array.isArray(value)) {
      result[key] = mergeList(result[key], value, childPath, strategies);
    } else if (isObject(value)) {
      const merged = mergeObject(result[key], value, childPath, strategies);
      if (merged === DELETE) delete result[key];
      else result[key] = merged;
    } else {
      result[key] = value;
    }
  }
  if (retainKeys) for (const k of Object.keys(result)) if (!retainKeys.includes(k)) delete result[k];
  return result;
}

function mergeList(orig: Json | undefined, patch: Json[], path: string, strategies: Record<string, ListStrategy>): Json[] {
  const strategy = strategies[path];
  if (patch.some((x) => isObject(x) && x.$patch === "replace")) return stripDirectives(patch) as Json[];
  if (!strategy) return stripDirectives(patch) as Json[];
  const base = Array.isArray(orig) ? [...orig] : [];
  if ("primitive" in strategy) {
    for (const v of patch) if (!base.some((b) => deepEqual(b, v))) base.push(v);
    return base;
  }
  const key = strategy.mergeKey;
  for (const item of patch) {
    if (!isObject(item)) {
      throw badRequest(`unable to find api field in struct for the list ${JSON.stringify(path)}: list item is not an object`);
    }
    if (!(key in item)) throw badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${key}`);
    const idx = base.findIndex((b) => isObject(b) && deepEqual(b[key], item[key]));
    if (item.$patch === "delete") {
      if (idx >= 0) base.splice(idx, 1);
      continue;
    }
    if (idx >= 0) {
      const merged = mergeObject(base[idx], item, path, strategies);
      if (merged === DELETE) base.splice(idx, 1);
      else base[idx] = merged;
    } else {
      base.push(stripDirectives(item));
    }
  }
  return base;
}

/** Strategic merge patch for one of the stored kinds. */
export function applyStrategicMergePatch(kind: string, original: unknown, patch: unknown): unknown {
  if (!isObject(patch)) throw badRequest("json: cannot unmarshal array into Go value of type map[string]interface {}");
  const merged = mergeObject(structuredClone(original) as Json, patch, "", SMP_STRATEGIES[kind] ?? META);
  return merged === DELETE ? {} : merged;
}
