import "server-only";
import { logger } from "@/lib/log";
import { runningCount, stopTakingRuns, waitForRuns } from "./running-operations";

/**
 * SIGTERM (a rollout, a node drain, `docker stop`): stop taking new workflow
 * runs, let the running ones finish their steps for up to `timeoutMs`, then
 * exit. A run still going at the deadline stays "running" under this
 * process's runner id; once the heartbeat stops, the next sweep (another
 * replica, or this one restarted, within three heartbeats) marks it
 * interrupted, and its record offers a re-run of what is left.
 * `start.mjs` sets NEXT_MANUAL_SIG_HANDLE so that Next leaves the signal to us.
 */
export function exitGracefullyOnSigterm(timeoutMs: number, exit: (code: number) => void = (code) => process.exit(code)): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    stopTakingRuns();
    logger.info({ signal, running: runningCount(), timeoutSeconds: Math.round(timeoutMs / 1000) }, "shutting down: no new workflow runs, waiting for running ones");
    void waitForRuns(timeoutMs).then((left) => {
      if (left > 0) logger.warn({ left }, "shutdown deadline reached; runs still going will be marked interrupted by the next sweep");
      else logger.info("shutdown: no workflow runs left");
      exit(0);
    });
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
}
