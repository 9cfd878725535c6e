import "server-only";
import type { ClusterInfo } from "@/lib/kube/port";
import { serverRoot } from "@/lib/server/root";
import type { ClusterScan } from "./cluster-scan";
import type { CachedScan } from "./scan-cache";

/** Every kubeconfig context, in kubeconfig order. */
export function listClusters(): ClusterInfo[] {
  return serverRoot().ports().kube.listClusters();
}

export function findCluster(name: string): ClusterInfo | undefined {
  return listClusters().find((c) => c.name === name);
}

/** The cached scan of a cluster (probe + inventory + coverage), scanning when none is fresh; concurrent callers share one scan. */
export function getClusterScan(name: string): Promise<CachedScan<ClusterScan>> {
  return serverRoot().scans().get(name);
}

/**
 * What the cluster's pages show: `getClusterScan`, except right after a restart, before this process has a scan of
 * the cluster: then the scan saved before the restart, marked `restored`, while a new one runs. Not for plans.
 */
export function showClusterScan(name: string): Promise<CachedScan<ClusterScan>> {
  return serverRoot().scans().show(name);
}

/** Scans the cluster again now (the Refresh button), sharing a scan already under way. */
export function refreshCluster(name: string): Promise<CachedScan<ClusterScan>> {
  return serverRoot().scans().refresh(name);
}

/** Forgets a cluster's scan, so the next page view reads the cluster again. Call after a workflow changed it. */
export function invalidateCluster(name: string): void {
  serverRoot().scans().invalidate(name);
}
