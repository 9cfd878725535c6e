import "server-only";
import { serverRoot } from "./root";

/** The start's part in readiness (app/api/health/ready): the warm-up of the scans, set by lib/server-start.ts. */

/** Readiness waits at most this long after the start for every cluster to have something to show (a huge fleet, or one that never answers, cannot hold a replica back for longer). */
export const WARM_READINESS_LIMIT_MS = 30_000;

/**
 * Whether every cluster has something to show (its scan saved before the start restored, or else its first scan done
 * or failed) with its page's views built, or the wait is over: behind a readiness probe, the first people routed to a
 * new or restarted replica find every cluster ready to show, as a controller serves only once its caches are synced.
 */
export function scansWarm(now = Date.now()): boolean {
  const since = serverRoot().startup.warmingSince;
  return since === null || now - since >= WARM_READINESS_LIMIT_MS;
}
