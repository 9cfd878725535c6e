import { classifyHost, type HostClass } from "@/lib/registry/domains";
import type { PullSecretInventory } from "@/lib/kube/port";
import { isLegacySecret } from "./grading";
import type { ClusterCoverageSummary, CountedState, CoverageFinding, DomainCoverage, GroupSummary, NamespaceCoverage } from "./types";

export const GROUP_ORDER: HostClass[] = ["icr", "legacy-icr", "other", "docker-hub"];

export const COUNTED_STATES: readonly CountedState[] = ["covered", "not_attached", "legacy_only", "rejected", "missing", "not_needed"];

/** What a cell counts as: its state, except a `missing` registry the namespace does not need is `not_needed`. */
export function countedState(cell: Pick<DomainCoverage, "state" | "needed">): CountedState {
  return cell.state === "missing" && !cell.needed ? "not_needed" : cell.state;
}

/** Cells shown red: a needed registry missing, or a dead credential. */
export function isRedCell(cell: Pick<DomainCoverage, "state" | "needed">): boolean {
  const counted = countedState(cell);
  return counted === "missing" || counted === "rejected";
}

function groupSummary(group: HostClass, domains: readonly string[], idxs: readonly number[], namespaces: readonly NamespaceCoverage[]): GroupSummary {
  let full = 0;
  let partial = 0;
  let notNeeded = 0;
  for (const ns of namespaces) {
    const needed = idxs.filter((i) => ns.domains[i]?.needed);
    if (needed.length === 0) {
      notNeeded += 1;
      continue;
    }
    const covered = needed.filter((i) => ns.domains[i]?.state === "covered").length;
    if (covered === needed.length) full += 1;
    else if (covered > 0) partial += 1;
  }
  const needing = namespaces.length - notNeeded;
  return {
    group,
    domains: idxs.map((i) => domains[i] ?? ""),
    fullyCovered: full,
    partiallyCovered: partial,
    uncovered: needing - full - partial,
    notNeeded,
    shareCovered: needing === 0 ? 0 : full / needing,
  };
}

export function summarize(inv: PullSecretInventory, domains: readonly string[], namespaces: NamespaceCoverage[], findings: CoverageFinding[]): ClusterCoverageSummary {
  let neededMissing = 0;
  let rejected = 0;
  const domainSummaries = domains.map((registry, i) => {
    const counts = Object.fromEntries(COUNTED_STATES.map((s) => [s, 0])) as Record<CountedState, number>;
    for (const ns of namespaces) {
      const d = ns.domains[i];
      if (d) counts[countedState(d)] += 1;
    }
    neededMissing += counts.missing;
    rejected += counts.rejected;
    return { registry, group: classifyHost(registry), counts };
  });
  const groups: GroupSummary[] = [];
  for (const group of GROUP_ORDER) {
    const idxs = domains.map((d, i) => (classifyHost(d) === group ? i : -1)).filter((i) => i >= 0);
    if (idxs.length > 0) groups.push(groupSummary(group, domains, idxs, namespaces));
  }
  const count = (t: CoverageFinding["type"]) => findings.filter((f) => f.type === t).length;
  return {
    cluster: inv.cluster,
    namespaceCount: namespaces.length,
    domains: domainSummaries,
    groups,
    pullSecretCount: inv.pullSecrets.length,
    legacySecretCount: inv.pullSecrets.filter(isLegacySecret).length,
    unparsableSecretCount: inv.pullSecrets.filter((s) => s.parseError !== null).length,
    neededMissing,
    rejected,
    workloadsAtRisk: count("image_pull_at_risk"),
    restartNeeded: count("restart_needed"),
    danglingReferences: count("dangling_reference"),
    staleCopies: count("stale_copy"),
    orphanedCopies: count("orphaned_copy"),
    pullFailingPods: findings.filter((f) => f.type === "pull_failure" && f.state === "failing").length,
    pullLatentPods: findings.filter((f) => f.type === "pull_failure" && f.state === "latent").length,
  };
}
