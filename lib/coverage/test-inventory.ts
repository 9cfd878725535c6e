import type { PullSecretDto, PullSecretInventory, ServiceAccountDto, WorkloadDto } from "@/lib/kube/port";
import type { ClusterCoverage } from "./types";

/** Test fixtures shared by the coverage unit tests: a cluster-wide inventory of cluster `c`, and one matrix cell. */
export function testInventory(namespaces: string[], pullSecrets: PullSecretDto[], serviceAccounts: ServiceAccountDto[], workloads: WorkloadDto[] = []): PullSecretInventory {
  return {
    cluster: "c",
    readAt: "2025-01-01T00:00:00Z",
    scope: "cluster",
    namespaces: namespaces.map((name) => ({ cluster: "c", name, labels: {}, phase: "Active", createdAt: null })),
    unreadableNamespaces: [],
    pullSecrets,
    serviceAccounts,
    workloads,
    notes: [],
    requestCount: 0,
  };
}

/** The cell of `ns` × `registry`; throws when the matrix has none. */
export function testCell(cov: ClusterCoverage, ns: string, registry: string) {
  const d = cov.namespaces.find((n) => n.namespace === ns)?.domains.find((x) => x.registry === registry);
  if (!d) throw new Error(`no cell ${ns} ${registry}`);
  return d;
}
