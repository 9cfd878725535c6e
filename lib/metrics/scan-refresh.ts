import "server-only";
import { logger } from "@/lib/log";

export interface FreshScanSources {
  clusterNames(): string[];
  /** The cache's `get`: serves a young enough scan, or scans (one at a time per cluster). */
  scan(cluster: string): Promise<unknown>;
}

/** How often the scans behind the coverage gauges are looked at; each is redone only when the cache says it is stale. */
export const SCAN_REFRESH_INTERVAL_MS = 60_000;

/**
 * Keeps every cluster's scan fresh for the metrics while they are enabled: a
 * scrape only reads the cache, so without this a cluster nobody opened would
 * never be scanned, and one that went down would go on looking up. Each tick
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
