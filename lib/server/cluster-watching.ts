import "server-only";
import { createPodPullTracker, startKubeWatcher, type WatchChange, type WatchedResource } from "@/lib/kube/watch";
import { logger } from "@/lib/log";
import { invalidateCluster } from "@/lib/queries";
import { createKeyedThrottle } from "./keyed-throttle";
import { serverRoot } from "./root";

/** Rule-relevant kinds: a change to one may change a rule's verdict. Pods change none; they change what a scan shows. */
const RULE_RESOURCES: ReadonlySet<WatchedResource> = new Set(["namespaces", "serviceaccounts", "secrets"]);
/** Changes come in bursts (a namespace, then its service account, then its secrets): one reaction per cluster per burst. */
const BURST_MS = 300;
/**
 * A busy cluster's pods fail and recover all the time: its scan (every namespace, every pod) is invalidated for
 * them at most this often, so the pages show a pull failure within seconds without rescanning per pod event.
 */
const POD_INVALIDATION_MIN_MS = 3_000;

/**
 * Watches every enabled cluster of the live gateway (kubeconfig contexts as their files change, stored IBM Cloud and
 * registered clusters as they are added, reconnected, disabled or removed) and reacts to what changed: keeping-rule
 * evaluations for namespaces, service accounts and pull secrets, and a fresh scan for the pages when a pod starts or
 * stops failing its pull (lib/kube/watch/pod-pulls.ts says which pod changes count). `queueEvaluations` is the
 * keeping rules' queueing (lib/server/rule-keeping.ts). Returns the stop used at shutdown.
 */
export function startClusterWatching(relistSeconds: number, queueEvaluations: (cluster: string) => Promise<unknown>): () => Promise<void> {
  const root = serverRoot();
  const kube = root.ports().kube;
  const watcher = startKubeWatcher({ clusterSource: kube.watchableClusters(), relistIntervalMs: relistSeconds * 1000 });
  root.watcher.current = watcher;
  const pods = createPodPullTracker();
  // What a pod change shows is the scan's business only: no rule is evaluated for it.
  const podScans = createKeyedThrottle({ burstMs: BURST_MS, minIntervalMs: POD_INVALIDATION_MIN_MS, run: (cluster) => invalidateCluster(cluster) });
  const pending = new Map<string, { timer: NodeJS.Timeout; changed: boolean }>();
  // The pages' cached scan is invalidated only for a real change: a watch's first list is what was there when it
  // started, not a change, and invalidating then would rescan every cluster at each start (the scan stays at most its
  // maximum age old, as without watches). Invalidation keeps the old scan readable, marked stale, for the metrics and
  // the fleet's stored rows, while pages and the blast-radius preview read a new scan (lib/queries).
  const onRuleChange = (change: WatchChange) => {
    const burst = pending.get(change.cluster);
    if (burst) {
      burst.changed ||= !change.firstList;
      return;
    }
    pending.set(change.cluster, { changed: !change.firstList, timer: setTimeout(() => {
      const changed = pending.get(change.cluster)?.changed ?? true;
      pending.delete(change.cluster);
      if (changed) invalidateCluster(change.cluster);
      void queueEvaluations(change.cluster).catch((error: unknown) =>
        logger.warn({ cluster: change.cluster, err: error instanceof Error ? error.message : String(error) }, "could not queue keeping-rule evaluations after a cluster change"),
      );
    }, BURST_MS).unref() });
  };
  const unsubscribe = watcher.onChange((change) => {
    if (pods.observe(change)) podScans.poke(change.cluster);
    if (RULE_RESOURCES.has(change.resource)) onRuleChange(change);
  });
  // A cluster that left (or reconnected: its informers list afresh) starts its pod bookkeeping over.
  const unsubscribeClusters = kube.onClustersChanged((change) => {
    for (const cluster of [...change.removed, ...change.replaced, ...(change.disabled ?? [])]) {
      pods.forget(cluster);
      podScans.cancel(cluster);
    }
  });
  logger.info({ clusters: watcher.clusters().length, relistSeconds }, "watching clusters for keeping rules and pull failures");
  return async () => {
    unsubscribe();
    unsubscribeClusters();
    podScans.close();
    for (const { timer } of pending.values()) clearTimeout(timer);
    root.watcher.current = null;
    await watcher.close();
  };
}
