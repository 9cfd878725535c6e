import { COUNTED_STATES, type CountedState } from "@/lib/coverage";
import type { ClusterScan } from "@/lib/queries/cluster-scan";

/**
 * Registries reported per cluster before the rest are summed under `other`:
 * coverage lists every registry named in a secret or an image, and a cluster
 * pulling from hundreds of hosts must not multiply the series beyond this.
 */
export const MAX_REGISTRIES_PER_CLUSTER = 50;
export const OTHER_REGISTRIES = "other";

/** `missing` counts namespaces that need the registry; `not_needed` the ones that lack it but need nothing from it. */
const STATES: readonly CountedState[] = COUNTED_STATES;

export interface ClusterSample {
  cluster: string;
  up: 0 | 1;
  scanSuccess: 0 | 1;
  lastScanSeconds: number;
  /** Absent when the scan read no inventory: an unknown count is not zero. */
  namespaces?: number;
  coverage: { registry: string; state: CountedState; namespaces: number }[];
  findings: { finding: string; count: number }[];
}

/**
 * What the scrape reports of each cluster's newest scan: reachability, when it
 * was scanned, and the namespaces per registry and coverage state. Pure, so the
 * cardinality rules are tested apart from prom-client. Never a namespace label.
 */
export function clusterSamples(scans: readonly ClusterScan[]): ClusterSample[] {
  return scans.map((scan) => {
    const base: ClusterSample = {
      cluster: scan.cluster,
      up: scan.probe.status === "reachable" ? 1 : 0,
      scanSuccess: scan.inventory && scan.coverage ? 1 : 0,
      lastScanSeconds: Date.parse(scan.finishedAt) / 1000,
      coverage: [],
      findings: [],
    };
    const summary = scan.coverage?.summary;
    if (!summary) return base;
    return { ...base, namespaces: summary.namespaceCount, coverage: coverageRows(summary.domains), findings: findingRows(summary) };
  });
}

function coverageRows(domains: NonNullable<ClusterScan["coverage"]>["summary"]["domains"]): ClusterSample["coverage"] {
  const kept = domains.slice(0, MAX_REGISTRIES_PER_CLUSTER);
  const rest = domains.slice(MAX_REGISTRIES_PER_CLUSTER);
  const rows = kept.flatMap((domain) => STATES.map((state) => ({ registry: domain.registry, state, namespaces: domain.counts[state] })));
  if (rest.length) {
    for (const state of STATES) rows.push({ registry: OTHER_REGISTRIES, state, namespaces: rest.reduce((sum, domain) => sum + domain.counts[state], 0) });
  }
  return rows;
}

function findingRows(summary: NonNullable<ClusterScan["coverage"]>["summary"]): ClusterSample["findings"] {
  return [
    { finding: "image_pull_at_risk", count: summary.workloadsAtRisk },
    { finding: "restart_needed", count: summary.restartNeeded },
    { finding: "dangling_reference", count: summary.danglingReferences },
    { finding: "stale_copy", count: summary.staleCopies },
    { finding: "orphaned_copy", count: summary.orphanedCopies },
  ];
}
