import "server-only";
import { logger } from "@/lib/log";

export interface FreshScanSources {
  clusterNames(): string[];
  /** The cache's `get`: serves a young enough scan, or scans (one at a time per cluster). */
  scan(cluster: string): Promise<unknown>;
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
 * load on the process and the API servers flat. Returns a stop function.
 */
export function keepScansFresh(sources: FreshScanSources, intervalMs = SCAN_REFRESH_INTERVAL_MS): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      for (const cluster of sources.clusterNames()) {
        await sources.scan(cluster).catch((error: unknown) => {
          logger.warn({ cluster, err: error instanceof Error ? error.message : String(error) }, "scan for the metrics failed");
        });
      }
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
