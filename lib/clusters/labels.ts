/**
 * Cluster labels as Kubernetes validates object labels (apimachinery's `IsQualifiedName` and
 * `IsValidLabelValue`), so a selector written for kubectl means the same here. Pure: the form, the
 * server action and the tests share it.
 */

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_NAME = 63;
const MAX_PREFIX = 253;
/** More labels than anyone reads in a table cell; keeps one cluster's row small. */
export const MAX_LABELS = 64;

/** Why `key` is not a label key (`prefix/name`, prefix optional), or null. */
export function labelKeyProblem(key: string): string | null {
  if (key === "") return "A label key cannot be empty.";
  const slash = key.indexOf("/");
  const prefix = slash === -1 ? null : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (prefix !== null) {
    if (prefix === "") return `Label key "${key}": the prefix before "/" cannot be empty.`;
    if (prefix.length > MAX_PREFIX) return `Label key "${key}": the prefix is longer than ${MAX_PREFIX} characters.`;
    if (!DNS_SUBDOMAIN.test(prefix)) return `Label key "${key}": the prefix must be a DNS subdomain (lower-case letters, digits, "-" and ".", e.g. example.com).`;
  }
  if (name === "") return `Label key "${key}": the name after the prefix cannot be empty.`;
  if (name.length > MAX_NAME) return `Label key "${key}": the name is longer than ${MAX_NAME} characters.`;
  if (!NAME.test(name)) return `Label key "${key}": the name must start and end with a letter or digit, with only letters, digits, "-", "_" and "." between.`;
  return null;
}

/** Why `value` is not a label value (empty is allowed), or null. */
export function labelValueProblem(key: string, value: string): string | null {
  if (value === "") return null;
  if (value.length > MAX_NAME) return `Label "${key}": the value is longer than ${MAX_NAME} characters.`;
  if (!NAME.test(value)) return `Label "${key}": the value must start and end with a letter or digit, with only letters, digits, "-", "_" and "." between.`;
  return null;
}

/**
 * Reads labels written one per line or comma-separated as `key=value` (`env=prod, region=eu-de`).
 * Every problem is reported, not just the first, so the admin fixes them in one go.
 */
export function parseLabels(text: string): { ok: true; labels: Record<string, string> } | { ok: false; problems: string[] } {
  const labels: Record<string, string> = {};
  const problems: string[] = [];
  const entries = text
    .split(/[\n,]/)
    .map((part) => part.trim())
    .filter((part) => part !== "");
  for (const entry of entries) {
    const eq = entry.indexOf("=");
    if (eq === -1) {
      problems.push(`"${entry}" is not key=value.`);
      continue;
    }
    const key = entry.slice(0, eq).trim();
    const value = entry.slice(eq + 1).trim();
    const problem = labelKeyProblem(key) ?? labelValueProblem(key, value);
    if (problem) problems.push(problem);
    else if (key in labels) problems.push(`Label key "${key}" is given twice.`);
    else labels[key] = value;
  }
  if (entries.length > MAX_LABELS) problems.push(`At most ${MAX_LABELS} labels per cluster.`);
  return problems.length ? { ok: false, problems } : { ok: true, labels };
}

/** The labels as the edit box shows them: `key=value` per line, keys sorted. */
export function formatLabels(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((key) => `${key}=${labels[key]}`)
    .join("\n");
}
