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
  /** Pods failing to pull now (`failing`) or that would when rescheduled (`latent`), per registry and cause. */
  pulls: { registry: string; cause: string; state: string; pods: number }[];
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
      pulls: [],
    };
    const summary = scan.coverage?.summary;
    if (!summary) return base;
    return { ...base, namespaces: summary.namespaceCount, coverage: coverageRows(summary.domains), findings: findingRows(summary), pulls: pullRows(scan.coverage!.findings) };
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

/** Each pod counted once per registry and cause it fails on; registries beyond the cap are summed under `other`. */
function pullRows(findings: NonNullable<ClusterScan["coverage"]>["findings"]): ClusterSample["pulls"] {
  const counts = new Map<string, { registry: string; cause: string; state: string; pods: number }>();
  const registries: string[] = [];
  for (const finding of findings) {
    if (finding.type !== "pull_failure") continue;
    const seen = new Set<string>();
    for (const image of finding.images) {
      if (!registries.includes(image.registry)) registries.push(image.registry);
      const registry = registries.indexOf(image.registry) < MAX_REGISTRIES_PER_CLUSTER ? image.registry : OTHER_REGISTRIES;
      const key = `${registry}|${image.cause}|${finding.state}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const row = counts.get(key) ?? { registry, cause: image.cause, state: finding.state, pods: 0 };
      row.pods += 1;
      counts.set(key, row);
    }
  }
  return [...counts.values()];
}
