import { describeClusterScope, type RuleSpec } from "@/lib/rules/spec";
import type { RuleClusterStatus, RuleRevision, RuleState } from "@/lib/rules/store";

/** A rule's statuses counted for the list: clusters per state, and when it was last evaluated anywhere. */
export interface RuleStatusSummary {
  clusters: number;
  ok: number;
  drift: number;
  conflict: number;
  error: number;
  lastEvaluatedAt: string | null;
}

export function summarizeStatuses(statuses: readonly Pick<RuleClusterStatus, "state" | "evaluatedAt">[]): RuleStatusSummary {
  const summary: RuleStatusSummary = { clusters: statuses.length, ok: 0, drift: 0, conflict: 0, error: 0, lastEvaluatedAt: null };
  for (const status of statuses) {
    summary[status.state] += 1;
    if (summary.lastEvaluatedAt === null || status.evaluatedAt > summary.lastEvaluatedAt) summary.lastEvaluatedAt = status.evaluatedAt;
  }
  return summary;
}

export const STATE_LABEL: Record<RuleState, string> = { ok: "Kept", drift: "Drift", conflict: "Conflict", error: "Cannot evaluate" };

export const STATE_CLASS: Record<RuleState, string> = {
  ok: "bg-emerald-50 text-emerald-900",
  drift: "bg-amber-50 text-amber-900",
  conflict: "bg-red-50 text-red-900",
  error: "bg-slate-100 text-slate-800",
};

function names(values: readonly string[]): string {
  return values.length ? values.join(", ") : "none";
}

/** The rule's scope in words, one line per part, as the detail page and the history show it. */
export function describeSpec(spec: RuleSpec): { label: string; value: string }[] {
  const match = spec.namespaces.match;
  const namespaces = match.mode === "all" ? "all namespaces" : match.mode === "labels" ? `namespaces labelled ${match.labelSelector}` : "only the namespaces listed";
  const accounts = spec.serviceAccounts.mode === "list" ? names(spec.serviceAccounts.names) : spec.serviceAccounts.mode === "all" ? "all service accounts" : "default";
  return [
    { label: "Clusters", value: describeClusterScope(spec.clusters) },
    { label: "Namespaces", value: `${namespaces}${spec.namespaces.includeSystem ? ", system namespaces too" : ""}` },
    { label: "Include", value: names(spec.namespaces.include) },
    { label: "Exclude", value: names(spec.namespaces.exclude) },
    { label: "Registries", value: names(spec.registries) },
    { label: "Source", value: `${names(spec.source.secrets)} in ${spec.source.namespace}` },
    { label: "Copy names", value: spec.naming === "seed" ? "<namespace>-… (as the seed names them)" : "the source's names" },
    { label: "Service accounts", value: accounts },
    { label: "Restart workloads", value: spec.restartWorkloads ? "yes" : "no" },
  ];
}

/** What one revision changed compared with the one before it (the first says it was created). */
export function revisionChanges(revision: RuleRevision, previous: RuleRevision | undefined): string[] {
  if (!previous || revision.change === "created") return ["created"];
  if (revision.change === "paused" || revision.change === "resumed") return [revision.change];
  const changes: string[] = [];
  if (revision.mode !== previous.mode) changes.push(`mode ${previous.mode} → ${revision.mode}`);
  const before = new Map(describeSpec(previous.spec).map((part) => [part.label, part.value]));
  for (const part of describeSpec(revision.spec)) {
    if (before.get(part.label) !== part.value) changes.push(`${part.label.toLowerCase()}: ${before.get(part.label)} → ${part.value}`);
  }
  return changes.length ? changes : ["saved without a change of mode or scope"];
}

/** Revisions newest first, each with what it changed. */
export function revisionHistory(revisions: readonly RuleRevision[]): (RuleRevision & { changes: string[] })[] {
  const oldestFirst = [...revisions].sort((a, b) => a.version - b.version);
  return oldestFirst.map((revision, index) => ({ ...revision, changes: revisionChanges(revision, oldestFirst[index - 1]) })).reverse();
}
