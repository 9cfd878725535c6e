import "server-only";
import { logger } from "@/lib/log";
import { runningCount, runningOperationIds, stopTakingRuns, waitForRuns } from "./running-operations";

/** Records runs still going at the shutdown deadline as interrupted; resolves once the audit store has them. */
export type InterruptRuns = (operationIds: string[]) => Promise<void>;

/**
 * SIGTERM (a rollout, a node drain, `docker stop`): stop taking new workflow
 * runs, let the running ones finish their steps for up to `timeoutMs`, then
 * exit. A run still going at the deadline is marked interrupted in the audit
 * store before the process exits (`interruptRuns`), so its record says so at
 * once and offers a re-run of what is left; the heartbeat sweep remains the
 * safety net for a process that dies without this chance (SIGKILL, OOM).
 * `start.mjs` sets NEXT_MANUAL_SIG_HANDLE so that Next leaves the signal to us.
 */
export function exitGracefullyOnSigterm(timeoutMs: number, exit: (code: number) => void = (code) => process.exit(code), interruptRuns?: InterruptRuns): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    stopTakingRuns();
    logger.info({ signal, running: runningCount(), timeoutSeconds: Math.round(timeoutMs / 1000) }, "shutting down: no new workflow runs, waiting for running ones");
    void waitForRuns(timeoutMs)
      .then(async (left) => {
        if (left === 0) {
          logger.info("shutdown: no workflow runs left");
          return;
        }
        const operationIds = runningOperationIds();
        logger.warn({ left, operationIds }, "shutdown deadline reached; marking the runs still going as interrupted");
        await interruptRuns?.(operationIds).catch((error: unknown) => {
          // The sweep of another replica (or of this one restarted) marks them after three missed heartbeats.
          logger.error({ err: error instanceof Error ? error.message : String(error), operationIds }, "could not mark the runs still going as interrupted");
        });
      })
      .finally(() => exit(0));
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
}
