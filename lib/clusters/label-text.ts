/**
 * Cluster labels as the admin types them on the clusters page: `key=value` per line or comma. Keys and values are
 * checked by lib/labels/validate.ts, as the Kubernetes API server checks object labels, so a keeping rule's selector
 * means the same on a cluster's labels as kubectl would. Pure: the server action and the tests share it.
 */
import { labelKeyProblem, labelValueProblem } from "@/lib/labels/validate";

/** More labels than anyone reads in a table cell; keeps one cluster's row small. */
export const MAX_LABELS = 64;

/** Every problem is reported, not just the first, so the admin fixes them in one go. */
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
    const valueProblem = labelValueProblem(value);
    const problem = key === "" ? `"${entry}" has no key.` : (labelKeyProblem(key) ?? (valueProblem ? `Label "${key}": ${valueProblem}` : null));
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
