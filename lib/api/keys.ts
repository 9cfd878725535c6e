/** react-query key factories for the dashboard's live data (one place, as Headlamp keeps them). */
export const dashboardKeys = {
  all: ["dashboard"] as const,
  fleet: () => [...dashboardKeys.all, "fleet"] as const,
  /** The rows the fleet page is waiting for (streamed as each cluster answers). */
  fleetRows: (clusters: readonly string[]) => [...dashboardKeys.fleet(), "rows", ...clusters] as const,
  cluster: (cluster: string) => [...dashboardKeys.all, "cluster", cluster] as const,
  namespace: (cluster: string, namespace: string) => [...dashboardKeys.cluster(cluster), "namespace", namespace] as const,
  /** One view of the coverage matrix (its query string, lib/api/matrix-query.ts) of the scan the page was rendered from. */
  matrix: (cluster: string, scannedAt: string, search: string) => [...dashboardKeys.cluster(cluster), "matrix", scannedAt, search] as const,
  matrixNames: (cluster: string, scannedAt: string, search: string) => [...dashboardKeys.cluster(cluster), "matrix-names", scannedAt, search] as const,
};

/** The route handlers behind those keys. */
export const dashboardApi = {
  fleet: (clusters: readonly string[] = []) => `/api/clusters${clusters.length ? `?${new URLSearchParams(clusters.map((c) => ["cluster", c]))}` : ""}`,
  scan: (cluster: string) => `/api/clusters/${encodeURIComponent(cluster)}/scan`,
  namespace: (cluster: string, namespace: string) => `/api/clusters/${encodeURIComponent(cluster)}/namespaces/${encodeURIComponent(namespace)}`,
  /** A page of the matrix for a view's query string; `names` lists every namespace its filter matches instead. */
  matrix: (cluster: string, search: string, names = false) => {
    const query = names ? [search, "names=1"].filter(Boolean).join("&") : search;
    return `/api/clusters/${encodeURIComponent(cluster)}/matrix${query ? `?${query}` : ""}`;
  },
};
