import type { AuditStore } from "@/lib/audit/port";
import type { PullSecretInventory } from "@/lib/kube/port";
import { evaluateRule } from "./evaluate";
import { ownedSecrets } from "./ownership";
import { ruleAppliesToCluster, type ClusterFacts, type KeepingRule } from "./spec";
import type { ConflictDecision, RuleConflict } from "./types";

/** What saving a rule would change on one cluster right now. */
export interface ClusterBlastRadius {
  cluster: string;
  /** The saved rule was kept here, the draft's cluster scope no longer holds it: only its copies' removals are previewed. */
  leavesScope: boolean;
  /** Null when the cluster could not be read: its share is unknown, said as such. */
  unreadable: string | null;
  matched: number;
  compliant: number;
  /** Namespaces the rule would change. */
  driftNamespaces: number;
  copies: number;
  refreshes: number;
  attachments: number;
  /** Copies the rule made that it would remove (the namespace left its scope). */
  removals: number;
  conflicts: RuleConflict[];
  /** The first namespaces it would change, for the preview. */
  sample: string[];
  sourceProblem: string | null;
}

export interface BlastRadius {
  clusters: ClusterBlastRadius[];
  /** Clusters the draft's cluster scope holds (those leaving it are in `clusters` too, marked). */
  totals: { clusters: number; leavingScope: number; matched: number; driftNamespaces: number; copies: number; refreshes: number; attachments: number; removals: number; conflicts: number; unreadable: number };
}

export interface BlastRadiusDeps {
  /** The clusters the user may see, with their current labels (a label selector is judged against them). */
  clusters: readonly ClusterFacts[];
  /** Clusters where the saved rule has a status (it was kept there): those the draft drops are previewed as leaving its scope. */
  previouslyKept?: readonly string[];
  /** The cluster's inventory (a cached scan is fine: this is a preview) or why it cannot be read. */
  inventory(cluster: string): Promise<PullSecretInventory | { error: string }>;
  audit: Pick<AuditStore, "getOperation">;
  otherRules: readonly KeepingRule[];
  decisions(cluster: string): Promise<ConflictDecision[]>;
}

const SAMPLE = 12;

/**
 * The "blast radius" of a rule before it is saved: per cluster in its scope,
 * what it matches and what it would write, attach, remove or stop at. Reads
 * only; a paused or report rule is previewed as if it enforced.
 */
export async function previewBlastRadius(rule: KeepingRule, deps: BlastRadiusDeps): Promise<BlastRadius> {
  const clusters: ClusterBlastRadius[] = [];
  const kept = new Set(deps.previouslyKept ?? []);
  const inScope = deps.clusters.filter((facts) => ruleAppliesToCluster(rule.spec, facts));
  const leaving = deps.clusters.filter((facts) => kept.has(facts.name) && !inScope.includes(facts));
  const byName = (a: ClusterFacts, b: ClusterFacts) => a.name.localeCompare(b.name);
  for (const facts of [...inScope].sort(byName)) clusters.push(await clusterRadius(rule, facts, false, deps));
  for (const facts of [...leaving].sort(byName)) clusters.push(await clusterRadius(rule, facts, true, deps));
  const sum = (pick: (c: ClusterBlastRadius) => number) => clusters.reduce((total, c) => total + pick(c), 0);
  return {
    clusters,
    totals: {
      clusters: inScope.length, leavingScope: leaving.length, matched: sum((c) => c.matched), driftNamespaces: sum((c) => c.driftNamespaces), copies: sum((c) => c.copies),
      refreshes: sum((c) => c.refreshes), attachments: sum((c) => c.attachments), removals: sum((c) => c.removals), conflicts: sum((c) => c.conflicts.length),
      unreadable: clusters.filter((c) => c.unreadable !== null).length,
    },
  };
}

async function clusterRadius(rule: KeepingRule, facts: ClusterFacts, leavesScope: boolean, deps: BlastRadiusDeps): Promise<ClusterBlastRadius> {
  const cluster = facts.name;
  const empty = { cluster, leavesScope, matched: 0, compliant: 0, driftNamespaces: 0, copies: 0, refreshes: 0, attachments: 0, removals: 0, conflicts: [], sample: [], sourceProblem: null };
  const inventory = await deps.inventory(cluster);
  if ("error" in inventory) return { ...empty, unreadable: inventory.error };
  const owned = await ownedSecrets(rule.id, inventory, deps.audit);
  const decisions = await deps.decisions(cluster);
  const others = deps.otherRules.filter((other) => other.id !== rule.id && !other.paused && ruleAppliesToCluster(other.spec, facts));
  const evaluation = evaluateRule(rule, inventory, { owned, decisions: new Map(decisions.map((d) => [`${d.namespace}/${d.secret}`, d])), otherRules: others, clusterOutOfScope: leavesScope });
  const changing = evaluation.drift.filter((drift) => drift.copies.length || drift.attach.length);
  return {
    ...empty,
    unreadable: null,
    matched: evaluation.matched,
    compliant: evaluation.compliant,
    driftNamespaces: changing.length,
    copies: changing.reduce((n, d) => n + d.copies.filter((c) => c.action === "create").length, 0),
    refreshes: changing.reduce((n, d) => n + d.copies.filter((c) => c.action === "refresh").length, 0),
    attachments: changing.reduce((n, d) => n + d.attach.length, 0),
    removals: evaluation.removals.length,
    conflicts: evaluation.conflicts,
    sample: changing.slice(0, SAMPLE).map((d) => d.namespace),
    sourceProblem: evaluation.sourceProblem,
  };
}
