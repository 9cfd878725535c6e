import type { ClusterCoverage, CoverageFinding, NamespaceCoverage } from "@/lib/coverage/types";
import type { NamespaceDto, PullSecretDto, PullSecretInventory, ServiceAccountDto, WorkloadDto } from "@/lib/kube/port";

/** What one namespace holds in one scan, and its coverage row. */
export interface NamespaceSlice {
  namespace: NamespaceDto;
  row: NamespaceCoverage;
  findings: CoverageFinding[];
  secrets: PullSecretDto[];
  serviceAccounts: ServiceAccountDto[];
  workloads: WorkloadDto[];
  /** Why part of the namespace could not be read, when it could not. */
  unreadable: string | null;
}

export interface NamespaceIndex {
  /** The namespace's slice, or null when the scan does not hold it (or has no coverage row for it). */
  slice(namespace: string): NamespaceSlice | null;
  /** Every registry some pull secret of the cluster names (what makes an image private). */
  readonly secretRegistries: readonly string[];
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * Groups a scan by namespace in one pass, so a namespace's page reads its own objects instead of filtering
 * every object of a 2,000-namespace cluster on each request (built once per scan: lib/queries/views.ts). Pure.
 */
export function indexNamespaces(coverage: ClusterCoverage, inventory: PullSecretInventory): NamespaceIndex {
  const namespaces = new Map(inventory.namespaces.map((n) => [n.name, n]));
  const rows = new Map(coverage.namespaces.map((r) => [r.namespace, r]));
  const findings = groupBy(coverage.findings, (f) => f.namespace);
  const secrets = groupBy(inventory.pullSecrets, (s) => s.namespace);
  const serviceAccounts = groupBy(inventory.serviceAccounts, (s) => s.namespace);
  const workloads = groupBy(inventory.workloads, (w) => w.namespace);
  const unreadable = new Map(inventory.unreadableNamespaces.map((u) => [u.namespace, u.message]));
  const secretRegistries = [...new Set(inventory.pullSecrets.flatMap((s) => s.registries.map((e) => e.registry)))];
  return {
    secretRegistries,
    slice(name) {
      const namespace = namespaces.get(name);
      const row = rows.get(name);
      if (!namespace || !row) return null;
      return {
        namespace,
        row,
        findings: findings.get(name) ?? [],
        secrets: secrets.get(name) ?? [],
        serviceAccounts: serviceAccounts.get(name) ?? [],
        workloads: workloads.get(name) ?? [],
        unreadable: unreadable.get(name) ?? null,
      };
    },
  };
}
