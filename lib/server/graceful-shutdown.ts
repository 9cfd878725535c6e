import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { logger } from "@/lib/log";
import { stopTakingRuns } from "./running-operations";

/** Stops this process's job workers, waiting up to the timeout for running handlers (JobQueue.stop). */
export type StopWork = (timeoutMs: number) => Promise<void>;

/** Past the timeout, a stop that still hangs (a database gone mid-shutdown) is not waited for longer than this. */
const GRACE_MS = 2_000;

/**
 * SIGTERM (a rollout, a node drain, `docker stop`): stop taking new workflow
 * runs, tell running chunks to start no more steps, let the steps in flight
 * finish for up to `timeoutMs`, then exit. A run is never marked interrupted
 * here: what is left of it is the next job, which another replica (or this
 * one, restarted) takes. `start.mjs` sets NEXT_MANUAL_SIG_HANDLE so that Next
 * leaves the signal to us.
 */
export function exitGracefullyOnSigterm(timeoutMs: number, stopWork: StopWork, exit: (code: number) => void = (code) => process.exit(code)): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    stopTakingRuns();
    logger.info({ signal, timeoutSeconds: Math.round(timeoutMs / 1000) }, "shutting down: no new workflow steps; the rest of each run goes on as a job");
    const stopped = stopWork(timeoutMs).then(
      () => logger.info("shutdown: job workers stopped"),
      (error: unknown) => logger.error({ err: error instanceof Error ? error.message : String(error) }, "shutdown: job workers did not stop cleanly"),
    );
    void Promise.race([stopped, sleep(timeoutMs + GRACE_MS, undefined, { ref: false })]).finally(() => exit(0));
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
}
