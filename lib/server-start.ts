import "server-only";
import { auditStore } from "@/lib/audit";
import { demoModeWarning } from "@/lib/auth/config";
import { authService, ensureFirstRunSetup } from "@/lib/auth/service";
import { databaseDescription } from "@/lib/db";
import { env, EnvError } from "@/lib/env";
import { logger } from "@/lib/log";
import { runnerId } from "@/lib/runner-id";
import { keepScansFresh } from "@/lib/metrics/scan-refresh";
import { exitGracefullyOnSigterm } from "@/lib/server/graceful-shutdown";
import { serverRoot } from "@/lib/server/root";
import { startupSummary } from "@/lib/server/startup-summary";

export async function startServer(): Promise<void> {
  try {
    env();
  } catch (error) {
    // The message names each bad variable; nothing else can work without them.
    console.error(error instanceof EnvError ? error.message : error);
    process.exit(1);
  }
  let interrupted: number;
  try {
    const store = await auditStore();
    await store.heartbeat(runnerId);
    const heartbeatMs = env().PULLKEEPER_HEARTBEAT_SECONDS * 1000;
    interrupted = await store.markInterrupted(runnerId, { staleAfterMs: staleAfterMs(heartbeatMs) });
    keepRunnerAlive(heartbeatMs);
    // A bad auth configuration stops the server here rather than on the first sign-in.
    const { config } = await authService();
    const demoWarning = demoModeWarning(config);
    if (demoWarning) logger.warn(demoWarning);
    await ensureFirstRunSetup();
    // Starts the webhook sender, which first picks up deliveries a stopped process left pending.
    await serverRoot().notifications();
  } catch (error) {
    // Unreachable database, pending migrations with PULLKEEPER_MIGRATE=false, a read-only data directory:
    // one line that says which, then exit, so the pod's restarts show the reason.
    logger.fatal({ database: databaseDescription(), err: error instanceof Error ? error.message.split("\n")[0] : String(error) }, "pullkeeper cannot start");
    process.exit(1);
  }
  exitGracefullyOnSigterm(env().PULLKEEPER_SHUTDOWN_TIMEOUT_SECONDS * 1000, undefined, markInterruptedAtShutdown);
  if (env().PULLKEEPER_METRICS_TOKEN) keepScansFreshForMetrics();
  logger.info({ ...startupSummary(), interrupted }, "pullkeeper started");
}

/** Three missed beats: one late write under load is not a dead process. */
const staleAfterMs = (heartbeatMs: number) => heartbeatMs * 3;

/**
 * Renews this process's heartbeat, and sweeps the runs of processes that died
 * (a crashed replica's runs are marked interrupted within about a minute).
 */
function keepRunnerAlive(heartbeatMs: number): void {
  const timer = setInterval(() => {
    void (async () => {
      try {
        const store = await auditStore();
        await store.heartbeat(runnerId);
        const interrupted = await store.markInterrupted(runnerId, { staleAfterMs: staleAfterMs(heartbeatMs) });
        if (interrupted) logger.warn({ interrupted }, "marked operations of a stopped Pullkeeper process as interrupted");
      } catch (error) {
        logger.error({ err: error instanceof Error ? error.message : String(error) }, "could not renew the server heartbeat");
      }
    })();
  }, heartbeatMs);
  timer.unref();
}

/** A scrape reads only the scan cache; this keeps it current (lib/metrics/README.md). */
function keepScansFreshForMetrics(): void {
  const root = serverRoot();
  keepScansFresh({ clusterNames: () => root.ports().kube.listClusters().map((info) => info.name), scan: (cluster) => root.scans().get(cluster) });
}

/** At the shutdown deadline: each run still going becomes interrupted, with the counts of the steps it recorded. */
async function markInterruptedAtShutdown(operationIds: string[]): Promise<void> {
  const store = await auditStore();
  const finishedAt = new Date();
  for (const operationId of operationIds) {
    await store
      .finishOperation(operationId, {
        status: "interrupted",
        summary: "The server shut down (SIGTERM) before this run finished; steps in flight may or may not have completed. Re-run it to finish what is left.",
        finishedAt,
      })
      // The run may have finished on its own in the meantime: its own status stands.
      .catch((error: unknown) => logger.warn({ operationId, err: error instanceof Error ? error.message : String(error) }, "run not marked interrupted at shutdown"));
  }
}
