import type { FleetRow } from "@/lib/api/fleet";

/** A cluster's row as the page has it: `stale` when it comes from a scan older than a fresh one may be. */
export interface AnsweredRow {
  row: FleetRow;
  stale: boolean;
}

/**
 * What the fleet page counts, as data: each measure is one summary item above the table, one filter of the table
 * (`?state=<id>`), optionally one column, and optionally one key of the "by need" order. Adding a counter the read
 * model gained is one entry here; a measure whose field the rows lack must not be listed (no placeholder counters).
 */
export interface FleetMeasure {
  /** The `state` value of the filtered view in the URL. */
  id: string;
  /** The filter's name in the state selector. */
  filterLabel: string;
  /** The row's figure; null when the cluster's data is not there (it did not answer). */
  value: (answer: AnsweredRow) => number | null;
  /** The summary line for a fleet total (`total`, summed over rows) found in `clusters` clusters. */
  summary: (total: number, clusters: number) => string;
  /** "attention": a non-zero total needs someone; "good": it is good news. */
  tone: "attention" | "good";
  /** Sort key of the default order: lower ranks are compared first, larger values first. */
  needRank?: number;
  /** A table column showing the figure, with where a non-zero figure links to (a cluster page view). */
  column?: { header: string; href?: (clusterHref: string) => string };
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** The icr.io group's figures: the registry Pullkeeper exists for. Other registries are shown, not ranked. */
function icr(row: FleetRow) {
  return row.groups.find((g) => g.group === "icr") ?? null;
}

/** Namespaces not covered for every icr.io domain (uncovered or only partly covered). */
export function namespacesNotCovered(row: FleetRow): number | null {
  if (row.namespaceCount === null) return null;
  const group = icr(row);
  return group ? group.uncovered + group.partiallyCovered : 0;
}

/** The cluster did not answer its last scan (or answered without its inventory), or the row shown is stale. */
export function unreachableOrStale({ row, stale }: AnsweredRow): boolean {
  return stale || row.namespaceCount === null || row.scanError !== null;
}

export const FLEET_MEASURES: readonly FleetMeasure[] = [
  {
    id: "failing",
    filterLabel: "Pods failing to pull",
    value: ({ row }) => row.pullFailures?.failingPods ?? null,
    summary: (total, clusters) => `${plural(total, "pod", "pods")} failing to pull in ${plural(clusters, "cluster", "clusters")}`,
    tone: "attention",
    needRank: 0,
    column: { header: "Pods failing to pull", href: (clusterHref) => `${clusterHref}?findings=1` },
  },
  {
    id: "latent",
    filterLabel: "Will fail when rescheduled",
    value: ({ row }) => row.pullFailures?.latentPods ?? null,
    summary: (total, clusters) => `${plural(total, "running pod", "running pods")} will fail to pull when rescheduled, in ${plural(clusters, "cluster", "clusters")}`,
    tone: "attention",
    needRank: 2,
    column: { header: "Will fail when rescheduled", href: (clusterHref) => `${clusterHref}?findings=1` },
  },
  {
    id: "at-risk",
    filterLabel: "Workloads at risk",
    value: ({ row }) => row.workloadsAtRisk,
    summary: (total, clusters) => `${plural(total, "workload", "workloads")} at risk of failing to pull in ${plural(clusters, "cluster", "clusters")}`,
    tone: "attention",
    needRank: 1,
    column: { header: "Workloads at risk", href: (clusterHref) => `${clusterHref}?findings=1` },
  },
  {
    id: "uncovered",
    filterLabel: "Namespaces not covered",
    value: ({ row }) => namespacesNotCovered(row),
    summary: (total, clusters) => `${plural(total, "namespace", "namespaces")} not covered for icr.io in ${plural(clusters, "cluster", "clusters")}`,
    tone: "attention",
    needRank: 3,
  },
  {
    id: "legacy",
    filterLabel: "Legacy tokens",
    value: ({ row }) => row.legacySecretCount,
    summary: (total, clusters) => `${plural(total, "secret", "secrets")} with discontinued registry tokens in ${plural(clusters, "cluster", "clusters")}`,
    tone: "attention",
  },
  {
    id: "covered",
    filterLabel: "Fully covered",
    value: ({ row }) => (row.namespaceCount === null ? null : namespacesNotCovered(row) === 0 ? 1 : 0),
    summary: (total) => `${plural(total, "cluster", "clusters")} fully covered`,
    tone: "good",
  },
  {
    id: "unreachable",
    filterLabel: "Unreachable or stale",
    value: (answer) => (unreachableOrStale(answer) ? 1 : 0),
    summary: (total) => `${plural(total, "cluster", "clusters")} unreachable or stale`,
    tone: "attention",
    needRank: 4,
  },
];
