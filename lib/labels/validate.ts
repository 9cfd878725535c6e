/**
 * Label keys and values checked as the Kubernetes API server checks them
 * (apimachinery `validation.IsQualifiedName` and `IsValidLabelValue`), so a
 * selector or label Kubernetes would refuse is refused here first, with the
 * rule it breaks. Each function returns null when valid, else the reason.
 */

const NAME_MAX = 63;
const PREFIX_MAX = 253;
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NAME_RULE = "letters, digits, '-', '_' and '.', starting and ending with a letter or digit";

export function labelKeyProblem(key: string): string | null {
  const parts = key.split("/");
  if (parts.length > 2) return `"${key}" is not a label key: it may hold at most one '/' (prefix/name)`;
  const [prefix, name] = parts.length === 2 ? [parts[0]!, parts[1]!] : [null, parts[0]!];
  if (prefix !== null) {
    if (prefix.length === 0) return `"${key}" is not a label key: the prefix before '/' is empty`;
    if (prefix.length > PREFIX_MAX) return `"${key}" is not a label key: its prefix is ${prefix.length} characters (at most ${PREFIX_MAX})`;
    if (!DNS_SUBDOMAIN.test(prefix)) return `"${key}" is not a label key: its prefix must be a DNS subdomain (lower-case letters, digits, '-' and '.')`;
  }
  if (name.length === 0) return `"${key}" is not a label key: the name is empty`;
  if (name.length > NAME_MAX) return `"${key}" is not a label key: its name is ${name.length} characters (at most ${NAME_MAX})`;
  if (!NAME.test(name)) return `"${key}" is not a label key: use ${NAME_RULE}`;
  return null;
}

export function labelValueProblem(value: string): string | null {
  if (value.length > NAME_MAX) return `"${value.slice(0, 20)}…" is not a label value: it is ${value.length} characters (at most ${NAME_MAX})`;
  if (value !== "" && !NAME.test(value)) return `"${value}" is not a label value: use ${NAME_RULE}, or leave it empty`;
  return null;
}
