import "server-only";
import type { ClusterAdminPorts } from "@/lib/clusters/admin";
import type { Reachability } from "@/lib/clusters/admin-view";
import { logger } from "@/lib/log";
import { serverRoot } from "./root";
import { queueRuleEvaluations } from "./rule-keeping";

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

/**
 * A cluster's labels or enabled state changed: the keeping rules that choose clusters by label (or that were kept out
 * while it was disabled) judge it now rather than at the next sweep. The change is saved either way; a queue that
 * cannot take the evaluations is logged, and the sweep catches up.
 */
export async function wakeRulesFor(cluster: string): Promise<void> {
  await queueRuleEvaluations({ cluster }).catch((error: unknown) =>
    logger.warn({ cluster, err: error instanceof Error ? error.message : String(error) }, "could not queue keeping-rule evaluations after a cluster change; the next sweep evaluates them"),
  );
}
