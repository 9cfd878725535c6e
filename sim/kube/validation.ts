import { type FieldError } from "./status";
import { isObject } from "./patch";

/** Object validation with the field paths and messages of k8s.io/kubernetes pkg/apis/core/validation. */

type Obj = Record<string, any>;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

export const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
export const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

const quote = (v: string) => JSON.stringify(v);

export function dnsLabelErrors(value: string, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (value.length > 63) errs.push({ type: "FieldValueInvalid", field, value: quote(value), detail: "must be no more than 63 characters" });
  if (!DNS1123_LABEL.test(value)) {
    errs.push({ type: "FieldValueInvalid", field, value: quote(value), detail: LABEL_MSG });
  }
  return errs;
}

export function dnsSubdomainErrors(value: string, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (value.length > 253) errs.push({ type: "FieldValueInvalid", field, value: quote(value), detail: "must be no more than 253 characters" });
  if (!DNS1123_SUBDOMAIN.test(value)) errs.push({ type: "FieldValueInvalid", field, value: quote(value), detail: SUBDOMAIN_MSG });
  return errs;
}

const RBAC_KINDS = new Set(["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"]);
export const RBAC_GROUP = "rbac.authorization.k8s.io";

function nameErrors(kind: string, meta: Obj): FieldError[] {
  const name = meta.name;
  if (typeof name !== "string" || name === "") {
    return [{ type: "FieldValueRequired", field: "metadata.name", detail: "name or generateName is required" }];
  }
  // RBAC names are path segments (ValidateRBACName), so `system:basic-user` is valid.
  if (RBAC_KINDS.has(kind)) {
    if (name === "." || name === "..") return [{ type: "FieldValueInvalid", field: "metadata.name", value: quote(name), detail: `may not be '${name}'` }];
    const bad = ["/", "%"].find((c) => name.includes(c));
    return bad ? [{ type: "FieldValueInvalid", field: "metadata.name", value: quote(name), detail: `may not contain '${bad}'` }] : [];
  }
  return kind === "Namespace" ? dnsLabelErrors(name, "metadata.name") : dnsSubdomainErrors(name, "metadata.name");
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

function labelErrors(labels: unknown): FieldError[] {
  if (!isObject(labels)) return [];
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels)) {
    const name = k.includes("/") ? k.slice(k.indexOf("/") + 1) : k;
    if (!QUALIFIED_NAME.test(name) || name.length > 63) {
      errs.push({
        type: "FieldValueInvalid",
        field: "metadata.labels",
        value: quote(k),
        detail: "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      });
    }
    if (typeof v !== "string" || v.length > 63 || !LABEL_VALUE.test(v)) {
      errs.push({
        type: "FieldValueInvalid",
        field: "metadata.labels",
        value: quote(String(v)),
        detail: "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      });
    }
  }
  return errs;
}

/** Go's json error for common malformations, so messages look like a real server's. */
function goJsonError(text: string): string | null {
  try {
    const v = JSON.parse(text);
    if (!isObject(v)) {
      const t = Array.isArray(v) ? "array" : typeof v === "string" ? "string" : typeof v;
      return `json: cannot unmarshal ${t} into Go value of type map[string]interface {}`;
    }
    return null;
  } catch {
    const trimmed = text.trimStart();
    if (trimmed === "") return "unexpected end of JSON input";
    const ch = trimmed[0]!;
    const literal = ch === "t" ? "true" : ch === "f" ? "false" : ch === "n" ? "null" : null;
    if (literal) {
      for (let i = 1; i < literal.length; i++) {
        if (i >= trimmed.length) return "unexpected end of JSON input";
        if (trimmed[i] !== literal[i]) return `invalid character '${trimmed[i]}' in literal ${literal} (expecting '${literal[i]}')`;
      }
      return `invalid character '${trimmed[literal.length]}' after top-level value`;
    }
    if (!"{[\"-0123456789".includes(ch)) return `invalid character '${ch}' looking for beginning of value`;
    return "unexpected end of JSON input";
  }
}

function secretErrors(s: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const data: Obj = isObject(s.data) ? s.data : {};
  let total = 0;
  for (const [k, v] of Object.entries(data)) {
    if (k.length > 253 || !CONFIG_KEY.test(k) || k === "." || k === ".." || k.startsWith("..")) {
      errs.push({
        type: "FieldValueInvalid",
        field: `data[${k}]`,
        value: quote(k),
        detail: "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
      });
    }
    total += Buffer.from(String(v), "base64").length;
  }
  if (total > 1048576) errs.push({ type: "FieldValueTooLong", field: "data", detail: "must have at most 1048576 bytes" });
  const decoded = (key: string) => (typeof data[key] === "string" ? Buffer.from(data[key], "base64").toString("utf8") : undefined);
  if (s.type === "kubernetes.io/service-account-token" && !s.metadata?.annotations?.["kubernetes.io/service-account.name"]) {
    errs.push({ type: "FieldValueRequired", field: "metadata.annotations[kubernetes.io/service-account.name]", detail: "" });
  }
  const dockerKey = s.type === "kubernetes.io/dockerconfigjson" ? ".dockerconfigjson" : s.type === "kubernetes.io/dockercfg" ? ".dockercfg" : null;
  if (dockerKey) {
    const text = decoded(dockerKey);
    if (text === undefined) errs.push({ type: "FieldValueRequired", field: `data[${dockerKey}]`, detail: "" });
    else {
      const err = goJsonError(text);
      if (err) errs.push({ type: "FieldValueInvalid", field: `data[${dockerKey}]`, value: quote("<secret contents redacted>"), detail: err });
    }
  }
  switch (s.type) {
    case "kubernetes.io/basic-auth":
      if (!("username" in data) && !("password" in data)) {
        errs.push({ type: "FieldValueRequired", field: "data[username]", detail: "" });
        errs.push({ type: "FieldValueRequired", field: "data[password]", detail: "" });
      }
      break;
    case "kubernetes.io/ssh-auth":
      if (!data["ssh-privatekey"]) errs.push({ type: "FieldValueRequired", field: "data[ssh-privatekey]", detail: "" });
      break;
    case "kubernetes.io/tls":
      if (!("tls.crt" in data)) errs.push({ type: "FieldValueRequired", field: "data[tls.crt]", detail: "" });
      if (!("tls.key" in data)) errs.push({ type: "FieldValueRequired", field: "data[tls.key]", detail: "" });
      break;
    case "kubernetes.io/service-account-token":
      if (!s.metadata?.annotations?.["kubernetes.io/service-account.name"]) {
        errs.push({ type: "FieldValueRequired", field: "metadata.annotations[kubernetes.io/service-account.name]", detail: "" });
      }
      break;
  }
  return errs;
}

function containerErrors(containers: unknown, field: string, required: boolean): FieldError[] {
  if (!Array.isArray(containers) || containers.length === 0) {
    return required ? [{ type: "FieldValueRequired", field, detail: "" }] : [];
  }
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((c: Obj, i) => {
    const f = `${field}[${i}]`;
    if (typeof c?.name !== "string" || !c.name) errs.push({ type: "FieldValueRequired", field: `${f}.name`, detail: "" });
    else {
      errs.push(...dnsLabelErrors(c.name, `${f}.name`));
      if (seen.has(c.name)) errs.push({ type: "FieldValueDuplicate", field: `${f}.name`, value: quote(c.name) });
      seen.add(c.name);
    }
    if (typeof c?.image !== "string" || !c.image.trim()) errs.push({ type: "FieldValueRequired", field: `${f}.image`, detail: "" });
  });
  return errs;
}

function podSpecErrors(spec: Obj | undefined, field: string): FieldError[] {
  const errs = containerErrors(spec?.containers, `${field}.containers`, true);
  errs.push(...containerErrors(spec?.initContainers, `${field}.initContainers`, false));
  const ips = spec?.imagePullSecrets;
  if (Array.isArray(ips)) {
    ips.forEach((r: Obj, i) => {
      if (typeof r?.name !== "string" || !r.name) errs.push({ type: "FieldValueRequired", field: `${field}.imagePullSecrets[${i}].name`, detail: "" });
    });
  }
  return errs;
}

function deploymentErrors(d: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const sel = d.spec?.selector;
  const tplLabels: Obj = d.spec?.template?.metadata?.labels ?? {};
  if (!isObject(sel) || (!isObject(sel.matchLabels) && !Array.isArray(sel.matchExpressions))) {
    errs.push({ type: "FieldValueRequired", field: "spec.selector", detail: "" });
  } else if (isObject(sel.matchLabels)) {
    const matches = Object.entries(sel.matchLabels).every(([k, v]) => tplLabels[k] === v);
    if (!matches) {
      const goMap = `map[string]string{${Object.entries(tplLabels).map(([k, v]) => `${quote(k)}:${quote(String(v))}`).join(", ")}}`;
      errs.push({ type: "FieldValueInvalid", field: "spec.template.metadata.labels", value: goMap, detail: "`selector` does not match template `labels`" });
    }
  }
  if (typeof d.spec?.replicas === "number" && d.spec.replicas < 0) {
    errs.push({ type: "FieldValueInvalid", field: "spec.replicas", value: String(d.spec.replicas), detail: "must be greater than or equal to 0" });
  }
  errs.push(...podSpecErrors(d.spec?.template?.spec, "spec.template.spec"));
  return errs;
}

/** pkg/apis/rbac/validation: ValidatePolicyRule, ValidateRoleBinding. */
function policyRuleErrors(rules: unknown): FieldError[] {
  if (!Array.isArray(rules)) return [];
  return rules.flatMap((r: Obj, i): FieldError[] => {
    const errs: FieldError[] = [];
    const list = (v: unknown) => (Array.isArray(v) ? v : []);
    if (list(r?.verbs).length === 0) errs.push({ type: "FieldValueRequired", field: `rules[${i}].verbs`, detail: "verbs must contain at least one value" });
    if (list(r?.nonResourceURLs).length > 0 && (list(r?.apiGroups).length > 0 || list(r?.resources).length > 0)) {
      errs.push({ type: "FieldValueInvalid", field: `rules[${i}].nonResourceURLs`, value: `[]string{${list(r.nonResourceURLs).map((u) => quote(String(u))).join(", ")}}`, detail: "rules cannot apply to both regular resources and non-resource URLs" });
    } else if (list(r?.nonResourceURLs).length === 0 && list(r?.resources).length > 0 && list(r?.apiGroups).length === 0) {
      errs.push({ type: "FieldValueRequired", field: `rules[${i}].apiGroups`, detail: "resource rules must supply at least one api group" });
    } else if (list(r?.nonResourceURLs).length === 0 && list(r?.resources).length === 0) {
      errs.push({ type: "FieldValueRequired", field: `rules[${i}].resources`, detail: "resource rules must supply at least one resource" });
    }
    return errs;
  });
}

function bindingErrors(kind: string, b: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const ref: Obj = isObject(b.roleRef) ? b.roleRef : {};
  if (ref.apiGroup !== RBAC_GROUP) errs.push({ type: "FieldValueNotSupported", field: "roleRef.apiGroup", value: quote(String(ref.apiGroup ?? "")), detail: `supported values: ${quote(RBAC_GROUP)}` });
  const kinds = kind === "ClusterRoleBinding" ? ["ClusterRole"] : ["Role", "ClusterRole"];
  if (!kinds.includes(ref.kind)) errs.push({ type: "FieldValueNotSupported", field: "roleRef.kind", value: quote(String(ref.kind ?? "")), detail: `supported values: ${kinds.map(quote).join(", ")}` });
  if (typeof ref.name !== "string" || ref.name === "") errs.push({ type: "FieldValueRequired", field: "roleRef.name", detail: "" });
  (Array.isArray(b.subjects) ? b.subjects : []).forEach((s: Obj, i: number) => {
    if (!s?.name) errs.push({ type: "FieldValueRequired", field: `subjects[${i}].name`, detail: "" });
    if (s?.kind === "ServiceAccount" && kind === "ClusterRoleBinding" && !s.namespace) errs.push({ type: "FieldValueRequired", field: `subjects[${i}].namespace`, detail: "" });
    else if (!["ServiceAccount", "User", "Group"].includes(s?.kind)) errs.push({ type: "FieldValueNotSupported", field: `subjects[${i}].kind`, value: quote(String(s?.kind ?? "")), detail: 'supported values: "ServiceAccount", "User", "Group"' });
  });
  return errs;
}

function serviceAccountErrors(sa: Obj): FieldError[] {
  const errs: FieldError[] = [];
  for (const field of ["secrets", "imagePullSecrets"] as const) {
    const list = sa[field];
    if (list !== undefined && !Array.isArray(list)) errs.push({ type: "FieldValueInvalid", field, value: quote(String(list)), detail: "must be a list" });
  }
  return errs;
}

/** Validation of a whole object on create and update. */
export function validateObject(kind: string, obj: Obj): FieldError[] {
  const meta: Obj = obj.metadata ?? {};
  const errs: FieldError[] = [];
  switch (kind) {
    case "Secret":
      errs.push(...secretErrors(obj));
      break;
    case "Pod":
      errs.push(...podSpecErrors(obj.spec, "spec"));
      break;
    case "Deployment":
      errs.push(...deploymentErrors(obj));
      break;
    case "ServiceAccount":
      errs.push(...serviceAccountErrors(obj));
      break;
    case "ClusterRole":
    case "Role":
      errs.push(...policyRuleErrors(obj.rules));
      break;
    case "ClusterRoleBinding":
    case "RoleBinding":
      errs.push(...bindingErrors(kind, obj));
      break;
  }
  errs.push(...nameErrors(kind, meta));
  errs.push(...labelErrors(meta.labels));
  return errs;
}

/** Extra checks on update: immutability. */
export function validateUpdate(kind: string, oldObj: Obj, newObj: Obj): FieldError[] {
  const errs: FieldError[] = [];
  if (kind === "Secret") {
    const oldType = oldObj.type ?? "Opaque";
    if ((newObj.type ?? "Opaque") !== oldType) {
      errs.push({ type: "FieldValueInvalid", field: "type", value: quote(newObj.type ?? ""), detail: "field is immutable" });
    }
    if (oldObj.immutable === true) {
      if (newObj.immutable !== true) {
        errs.push({ type: "FieldValueForbidden", field: "immutable", detail: "field is immutable when `immutable` is set" });
      }
      if (JSON.stringify(oldObj.data ?? {}) !== JSON.stringify(newObj.data ?? {})) {
        errs.push({ type: "FieldValueForbidden", field: "data", detail: "field is immutable when `immutable` is set" });
      }
    }
  }
  if ((kind === "ClusterRoleBinding" || kind === "RoleBinding") && JSON.stringify(oldObj.roleRef) !== JSON.stringify(newObj.roleRef)) {
    const r: Obj = newObj.roleRef ?? {};
    errs.push({ type: "FieldValueInvalid", field: "roleRef", value: `rbac.RoleRef{APIGroup:${quote(String(r.apiGroup ?? ""))}, Kind:${quote(String(r.kind ?? ""))}, Name:${quote(String(r.name ?? ""))}}`, detail: "cannot change roleRef" });
  }
  if (kind === "Deployment") {
    const a = JSON.stringify(oldObj.spec?.selector ?? null);
    const b = JSON.stringify(newObj.spec?.selector ?? null);
    if (a !== b) errs.push({ type: "FieldValueInvalid", field: "spec.selector", value: "v1.LabelSelector{…}", detail: "field is immutable" });
  }
  return errs;
}
