import { badRequest } from "./status";

/** Label and field selectors with the grammar and errors of k8s.io/apimachinery labels/fields. */

export type LabelRequirement =
  | { op: "=" | "!="; key: string; value: string }
  | { op: "in" | "notin"; key: string; values: string[] }
  | { op: "exists" | "!"; key: string }
  | { op: ">" | "<"; key: string; value: number };

const KEY_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkKey(key: string) {
  const slash = key.indexOf("/");
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  if (!name || name.length > 63 || !KEY_NAME.test(name) || (prefix !== undefined && (!PREFIX.test(prefix) || prefix.length > 253))) {
    throw badRequest(`unable to parse requirement: invalid label key "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`);
  }
}
function checkValue(v: string) {
  if (v.length > 63 || !VALUE.test(v)) {
    throw badRequest(`unable to parse requirement: values[0][${v}]: Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`);
  }
}

/** Splits on commas that are not inside parentheses. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of s) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export function parseLabelSelector(selector: string | null | undefined): LabelRequirement[] {
  if (!selector || !selector.trim()) return [];
  const reqs: LabelRequirement[] = [];
  for (const raw of splitTop(selector)) {
    const term = raw.trim();
    if (!term) throw badRequest(`unable to parse requirement: found '', expected: identifier`);
    let m: RegExpMatchArray | null;
    if ((m = term.match(/^(\S+?)\s+(in|notin)\s*\(([^)]*)\)$/))) {
      const values = m[3]!.split(",").map((v) => v.trim());
      checkKey(m[1]!);
      values.forEach(checkValue);
      reqs.push({ op: m[2] as "in" | "notin", key: m[1]!, values });
    } else if ((m = term.match(/^([^=!<>\s]+)\s*(==|=|!=)\s*([^=!<>\s]*)$/))) {
      checkKey(m[1]!);
      checkValue(m[3]!);
      reqs.push({ op: m[2] === "!=" ? "!=" : "=", key: m[1]!, value: m[3]! });
    } else if ((m = term.match(/^([^=!<>\s]+)\s*([<>])\s*(-?\d+)$/))) {
      checkKey(m[1]!);
      reqs.push({ op: m[2] as ">" | "<", key: m[1]!, value: Number(m[3]) });
    } else if ((m = term.match(/^!\s*([^=!<>\s(),]+)$/))) {
      checkKey(m[1]!);
      reqs.push({ op: "!", key: m[1]! });
    } else if ((m = term.match(/^([^=!<>\s(),]+)$/))) {
      checkKey(m[1]!);
      reqs.push({ op: "exists", key: m[1]! });
    } else {
      throw badRequest(`unable to parse requirement: found '${term}', expected: identifier`);
    }
  }
  return reqs;
}

export function matchLabels(reqs: LabelRequirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case "=":
        return has && v === r.value;
      case "!=":
        return !has || v !== r.value;
      case "in":
        return has && r.values.includes(v!);
      case "notin":
        return !has || !r.values.includes(v!);
      case "exists":
        return has;
      case "!":
        return !has;
      case ">":
        return has && /^-?\d+$/.test(v!) && Number(v) > r.value;
      case "<":
        return has && /^-?\d+$/.test(v!) && Number(v) < r.value;
    }
  });
}

export interface FieldRequirement {
  field: string;
  op: "=" | "!=";
  value: string;
}

/** fields.ParseSelector: comma-separated `f=v`, `f==v`, `f!=v`; backslash escapes `,` `=` `!` `\`. */
export function parseFieldSelector(selector: string | null | undefined): FieldRequirement[] {
  if (!selector) return [];
  const terms: string[] = [];
  let cur = "";
  for (let i = 0; i < selector.length; i++) {
    const ch = selector[i]!;
    if (ch === "\\" && i + 1 < selector.length) {
      cur += ch + selector[++i];
    } else if (ch === ",") {
      terms.push(cur);
      cur = "";
    } else cur += ch;
  }
  terms.push(cur);
  const out: FieldRequirement[] = [];
  for (const term of terms) {
    if (!term) continue;
    const m = term.match(/^((?:\\.|[^\\=!])*)(!=|==|=)(.*)$/);
    if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const unescape = (s: string) => s.replace(/\\(.)/g, "$1");
    out.push({ field: unescape(m[1]!), op: m[2] === "!=" ? "!=" : "=", value: unescape(m[3]!) });
  }
  return out;
}

type Obj = Record<string, any>;

/** Field getters per resource, as each registry's GetAttrs exposes them. */
const FIELDS: Record<string, Record<string, (o: Obj) => string>> = {
  common: {
    "metadata.name": (o) => o.metadata?.name ?? "",
    "metadata.namespace": (o) => o.metadata?.namespace ?? "",
  },
  namespaces: { "status.phase": (o) => o.status?.phase ?? "", name: (o) => o.metadata?.name ?? "" },
  secrets: { type: (o) => o.type ?? "" },
  pods: {
    "spec.nodeName": (o) => o.spec?.nodeName ?? "",
    "spec.restartPolicy": (o) => o.spec?.restartPolicy ?? "",
    "spec.schedulerName": (o) => o.spec?.schedulerName ?? "",
    "spec.serviceAccountName": (o) => o.spec?.serviceAccountName ?? "",
    "spec.hostNetwork": (o) => String(o.spec?.hostNetwork ?? false),
    "status.phase": (o) => o.status?.phase ?? "",
    "status.podIP": (o) => o.status?.podIP ?? "",
    "status.nominatedNodeName": (o) => o.status?.nominatedNodeName ?? "",
  },
  events: {
    "involvedObject.kind": (o) => o.involvedObject?.kind ?? "",
    "involvedObject.namespace": (o) => o.involvedObject?.namespace ?? "",
    "involvedObject.name": (o) => o.involvedObject?.name ?? "",
    "involvedObject.uid": (o) => o.involvedObject?.uid ?? "",
    "involvedObject.apiVersion": (o) => o.involvedObject?.apiVersion ?? "",
    "involvedObject.resourceVersion": (o) => o.involvedObject?.resourceVersion ?? "",
    "involvedObject.fieldPath": (o) => o.involvedObject?.fieldPath ?? "",
    reason: (o) => o.reason ?? "",
    reportingComponent: (o) => o.reportingComponent ?? "",
    source: (o) => o.source?.component ?? "",
    type: (o) => o.type ?? "",
  },
};

export type FieldMatcher = (o: Obj) => boolean;

/** Compiles a field selector for a resource; unknown fields are a 400 like a real server. */
export function compileFieldSelector(resource: string, reqs: FieldRequirement[]): FieldMatcher {
  const getters = reqs.map((r) => {
    const get = FIELDS.common![r.field] ?? FIELDS[resource]?.[r.field];
    if (!get) throw badRequest(`field label not supported: ${r.field}`);
    return { r, get };
  });
  return (o) => getters.every(({ r, get }) => (get(o) === r.value) === (r.op === "="));
}
