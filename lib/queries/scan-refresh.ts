import "server-only";
import { logger } from "@/lib/log";

export interface FreshScanSources {
  clusterNames(): string[];
  /** The cache's `get`: serves a young enough scan, or scans (one at a time per cluster). */
  scan(cluster: string): Promise<unknown>;
  /** The cache's `restore`: reads the scan saved before the start, so a first visit can be shown it at once; true when there is one. */
  restore?(cluster: string): Promise<boolean>;
  /** Builds what the cluster's page shows from its current scan (lib/queries/views.ts `prepareClusterView`). */
  prepare?(cluster: string): Promise<void>;
  /**
   * Told once every cluster has something to show: its saved scan restored, or else its first scan done (or failed),
   * with the views built either way. Readiness waits for it.
   */
  warm?(counts: { restored: number; scanned: number }): void;
}

/** How often every cluster's scan is looked at; each is redone only when the cache says it is stale. */
export const SCAN_REFRESH_INTERVAL_MS = 60_000;

/**
 * Keeps every cluster's scan fresh in the background, from the server's start:
 * the first person to open a cluster after a start (or after five quiet
 * minutes) finds its coverage ready instead of waiting for a scan of
 * thousands of namespaces, and a metrics scrape, which only reads the cache,
 * sees every cluster, including one nobody opened and one that went down. Each tick
 * asks the cache, which rescans a successful scan after 5 minutes and a failed
 * one after 30 seconds; clusters are scanned one after another to keep the
 * load on the process and the API servers flat. Before the first scans, each
 * cluster's scan saved before the start is read (restore), one after another:
 * a visitor right after a restart is shown it at once instead of waiting for
 * the scans queued ahead. The clusters without one are then scanned at once,
 * side by side (the cache bounds how many are read at a time, and a cluster
 * that never answers holds only its own turn); the clusters that had one are
 * rescanned from `restoredRescanDelayMs` after the start. After each restore
 * and scan, the cluster page's views are built (prepare), so the first visitor
 * does not build them either; once every cluster has something to show, `warm`
 * is told (readiness). Returns a stop function.
 */
export function keepScansFresh(sources: FreshScanSources, intervalMs = SCAN_REFRESH_INTERVAL_MS, restoredRescanDelayMs = 0): () => void {
  let running = false;
  const scanAndPrepare = (cluster: string) =>
    sources
      .scan(cluster)
      .then(() => sources.prepare?.(cluster))
      .catch((error: unknown) => {
        logger.warn({ cluster, err: error instanceof Error ? error.message : String(error) }, "background scan failed");
      });
  const scanEach = async (clusters: readonly string[]) => {
    for (const cluster of clusters) await scanAndPrepare(cluster);
  };
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await scanEach(sources.clusterNames());
    } finally {
      running = false;
    }
  };
  const first = async () => {
    const started = Date.now();
    const restored = new Set<string>();
    running = true;
    try {
      for (const cluster of sources.restore ? sources.clusterNames() : []) {
        if (!(await sources.restore?.(cluster).catch(() => false))) continue;
        restored.add(cluster);
        await sources.prepare?.(cluster).catch(() => undefined);
      }
      // Clusters with nothing to show are scanned at once; those shown from their saved scans a little later, so the
      // first visitors after a restart are not queued behind scans on this one thread.
      const unrestored = sources.clusterNames().filter((cluster) => !restored.has(cluster));
      await Promise.all(unrestored.map(scanAndPrepare));
      sources.warm?.({ restored: restored.size, scanned: unrestored.length });
      const pause = restored.size ? started + restoredRescanDelayMs - Date.now() : 0;
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause).unref());
    } finally {
      running = false;
    }
    await tick();
  };
  void first();
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
