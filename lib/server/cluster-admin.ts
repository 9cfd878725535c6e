import "server-only";
import type { ClusterAdminPorts } from "@/lib/clusters/admin";
import type { Reachability } from "@/lib/clusters/admin-view";
import { serverRoot } from "./root";

/** The clusters page's ports over the process's composition root: the stored clusters, the audit log and the live gateway. */
export async function clusterAdminPorts(): Promise<ClusterAdminPorts> {
  const root = serverRoot();
  const [store, audit, connections] = await Promise.all([root.clusterStore(), root.auditStore(), root.clusterConnections()]);
  const kube = root.ports().kube;
  return {
    store,
    audit,
    gateway: { listAllClusters: () => kube.listAllClusters(), probe: (cluster) => kube.probe(cluster) },
    sync: () => connections.sync(),
  };
}

/** The probe of the cluster's newest scan (kept by the scan cache), without scanning. */
export function lastScanReachability(name: string): Reachability | null {
  const probe = serverRoot().scans().peek(name)?.value.probe;
  return probe ? { status: probe.status, message: probe.message, checkedAt: probe.checkedAt } : null;
}
