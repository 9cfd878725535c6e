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

/** Aborted once the process stops taking runs. */
export function pauseSignal(): AbortSignal {
  return serverRoot().shutdown.pause.signal;
}
