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

/** Readiness waits at most this long after the start for the saved scans to be restored (a huge fleet cannot hold a replica back). */
export const RESTORE_READINESS_LIMIT_MS = 30_000;

/**
 * Whether the scans saved before the start are restored and their pages' views built (or the wait is over): behind a
 * readiness probe, the first people routed to a restarted replica find every cluster ready to show.
 */
export function savedScansRestored(now = Date.now()): boolean {
  const since = serverRoot().startup.restoringSince;
  return since === null || now - since >= RESTORE_READINESS_LIMIT_MS;
}

/** Aborted once the process stops taking runs. */
export function pauseSignal(): AbortSignal {
  return serverRoot().shutdown.pause.signal;
}
