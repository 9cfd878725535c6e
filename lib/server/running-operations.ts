import "server-only";
import { serverRoot } from "./root";

/**
 * This process's part in workflow runs. Runs themselves are jobs (lib/jobs):
 * any replica executes them, and a cancel reaches them through their stored
 * state (lib/workflows/engine/run-state.ts), so nothing here is per-run.
 */

/** After SIGTERM: new runs are refused here, and running chunks start no more steps (the rest goes on elsewhere). */
export function stopTakingRuns(): void {
  const shutdown = serverRoot().shutdown;
  shutdown.draining = true;
  shutdown.pause.abort();
}

export function takingRuns(): boolean {
  return !serverRoot().shutdown.draining;
}

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

/** Aborted once the process stops taking runs. */
export function pauseSignal(): AbortSignal {
  return serverRoot().shutdown.pause.signal;
}
