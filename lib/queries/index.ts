import "server-only";

/** The dashboard's reads, for pages, route handlers and actions (server only; the browser imports lib/api). */
export { findCluster, getClusterScan, invalidateCluster, listClusters, refreshCluster } from "./clusters";
export { clusterLabellingOf } from "./cluster-labelling";
export { clusterView, fleetRowFor, namespaceView, storedFleetRows, type ClusterView, type NamespaceView, type ReadableScan } from "./views";
export type { ClusterScan } from "./cluster-scan";
export type { CachedScan } from "./scan-cache";
export { matchingNamespaces, queryMatrix, type MatrixIndex } from "./matrix-query";
