/**
 * Kubernetes label selectors as `kubectl get -l` accepts them:
 * `key`, `!key`, `key=value`, `key==value`, `key!=value`, `key in (a,b)`,
 * `key notin (a,b)`, joined by commas (all must hold). Pure, so the coverage
 * matrix filter in the browser and the workflows' target selection on the
 * server read selectors the same way.
 */

export type LabelRequirement =
  | { op: "exists" | "not_exists"; key: string }
  | { op: "in" | "notin"; key: string; values: string[] };

export type ParsedSelector = { ok: true; requirements: LabelRequirement[] } | { ok: false; error: string };

import { labelKeyProblem, labelValueProblem } from "./validate";

/** Tells a key apart from other syntax; whether it is a valid key is labelKeyProblem's call. */
const KEY_LIKE = /^[A-Za-z0-9][-A-Za-z0-9_./]*$/;

function splitTopLevel(input: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of input) {
    if (ch === "(") depth += 1;
    if (ch === ")") depth -= 1;
    if (ch === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim());
}

function parseRequirement(part: string): LabelRequirement | string {
  let m = /^!\s*(\S+)$/.exec(part);
  if (m) return labelKeyProblem(m[1]!) ?? { op: "not_exists", key: m[1]! };
  m = /^(\S+?)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
  if (m) {
    const values = m[3]!.split(",").map((v) => v.trim());
    const problem = labelKeyProblem(m[1]!) ?? values.map(labelValueProblem).find(Boolean);
    if (problem) return problem;
    return { op: m[2] as "in" | "notin", key: m[1]!, values };
  }
  m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
  if (m) {
    const problem = labelKeyProblem(m[1]!) ?? labelValueProblem(m[3]!);
    if (problem) return problem;
    return { op: m[2] === "!=" ? "notin" : "in", key: m[1]!, values: [m[3]!] };
  }
  if (KEY_LIKE.test(part)) return labelKeyProblem(part) ?? { op: "exists", key: part };
  return `"${part}" is not a requirement (use key=value, key!=value, key in (a,b), key or !key)`;
}

export function parseLabelSelector(input: string): ParsedSelector {
  const trimmed = input.trim();
  if (trimmed === "") return { ok: true, requirements: [] };
  const requirements: LabelRequirement[] = [];
  for (const part of splitTopLevel(trimmed)) {
    if (part === "") return { ok: false, error: "An empty requirement: remove the extra comma." };
    const r = parseRequirement(part);
    if (typeof r === "string") return { ok: false, error: r };
    requirements.push(r);
  }
  return { ok: true, requirements };
}

export function matchesSelector(requirements: readonly LabelRequirement[], labels: Readonly<Record<string, string>>): boolean {
  for (const r of requirements) {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    const value = labels[r.key];
    switch (r.op) {
      case "exists":
        if (!has) return false;
        break;
      case "not_exists":
        if (has) return false;
        break;
      case "in":
        if (!has || !r.values.includes(value!)) return false;
        break;
      case "notin":
        // As in Kubernetes: a missing key satisfies `!=` and `notin`.
        if (has && r.values.includes(value!)) return false;
        break;
    }
  }
  return true;
}
