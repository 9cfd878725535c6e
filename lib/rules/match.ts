import type { NamespaceDto } from "@/lib/kube/port";
import { isSystemNamespace } from "@/lib/coverage/system-namespaces";
import { matchesSelector, parseLabelSelector, type LabelRequirement } from "@/lib/labels/selector";
import type { RuleSpec } from "./spec";

/**
 * The namespaces a rule's scope matches, sorted. Exclusions win; names on the
 * include list are matched whatever the selector says (system ones too);
 * system namespaces are otherwise left out unless the rule includes them.
 * Terminating namespaces are left out: nothing new can be created in them.
 */
export function matchingNamespaces(spec: RuleSpec, namespaces: readonly NamespaceDto[]): string[] {
  const scope = spec.namespaces;
  const include = new Set(scope.include);
  const exclude = new Set(scope.exclude);
  const requirements = selectorRequirements(spec);
  return namespaces
    .filter((ns) => ns.phase !== "Terminating" && !exclude.has(ns.name))
    .filter((ns) => include.has(ns.name) || ((scope.includeSystem || !isSystemNamespace(ns.name)) && selects(scope.match.mode, requirements, ns.labels)))
    .map((ns) => ns.name)
    .sort();
}

/** Null when a stored selector no longer parses (the schema refuses new ones): it then matches nothing rather than everything. */
function selectorRequirements(spec: RuleSpec): LabelRequirement[] | null {
  if (spec.namespaces.match.mode !== "labels") return [];
  const parsed = parseLabelSelector(spec.namespaces.match.labelSelector);
  return parsed.ok ? parsed.requirements : null;
}

function selects(mode: RuleSpec["namespaces"]["match"]["mode"], requirements: LabelRequirement[] | null, labels: Record<string, string>): boolean {
  if (mode === "all") return true;
  if (mode === "names" || requirements === null) return false;
  return matchesSelector(requirements, labels);
}
