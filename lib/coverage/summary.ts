import { classifyHost, type HostClass } from "@/lib/registry/domains";
import type { PullSecretDto, PullSecretInventory } from "@/lib/kube/port";
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

/** Each distinct row of cells with the number of namespaces that have it: namespaces alike share one row (compute.ts). */
type WeightedRows = ReadonlyMap<readonly DomainCoverage[], number>;

function groupSummary(group: HostClass, domains: readonly string[], idxs: readonly number[], rows: WeightedRows, namespaceCount: number): GroupSummary {
  let full = 0;
  let partial = 0;
  let notNeeded = 0;
  for (const [cells, weight] of rows) {
    let needed = 0;
    let covered = 0;
    for (const i of idxs) {
      const cell = cells[i];
      if (!cell?.needed) continue;
      needed += 1;
      if (cell.state === "covered") covered += 1;
    }
    if (needed === 0) notNeeded += weight;
    else if (covered === needed) full += weight;
    else if (covered > 0) partial += weight;
  }
  const needing = namespaceCount - notNeeded;
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
  const rows = new Map<readonly DomainCoverage[], number>();
  for (const ns of namespaces) rows.set(ns.domains, (rows.get(ns.domains) ?? 0) + 1);
  let neededMissing = 0;
  let rejected = 0;
  const domainSummaries = domains.map((registry, i) => {
    const counts = Object.fromEntries(COUNTED_STATES.map((s) => [s, 0])) as Record<CountedState, number>;
    for (const [cells, weight] of rows) {
      const d = cells[i];
      if (d) counts[countedState(d)] += weight;
    }
    neededMissing += counts.missing;
    rejected += counts.rejected;
    return { registry, group: classifyHost(registry), counts };
  });
  const groups: GroupSummary[] = [];
  for (const group of GROUP_ORDER) {
    const idxs = domains.map((d, i) => (classifyHost(d) === group ? i : -1)).filter((i) => i >= 0);
    if (idxs.length > 0) groups.push(groupSummary(group, domains, idxs, rows, namespaces.length));
  }
  // Copies share their entry list (lib/kube): judge each list once.
  const legacyByEntries = new Map<PullSecretDto["registries"], boolean>();
  const isLegacy = (s: PullSecretDto) => {
    let legacy = legacyByEntries.get(s.registries);
    if (legacy === undefined) legacyByEntries.set(s.registries, (legacy = isLegacySecret(s)));
    return legacy;
  };
  const count = (t: CoverageFinding["type"]) => findings.filter((f) => f.type === t).length;
  return {
    cluster: inv.cluster,
    namespaceCount: namespaces.length,
    domains: domainSummaries,
    groups,
    pullSecretCount: inv.pullSecrets.length,
    legacySecretCount: inv.pullSecrets.filter(isLegacy).length,
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
