import "server-only";
import { auditStore } from "@/lib/audit";
import { demoModeWarning } from "@/lib/auth/config";
import { authService, ensureFirstRunSetup } from "@/lib/auth/service";
import { databaseDescription } from "@/lib/db";
import { env, EnvError } from "@/lib/env";
import { logger } from "@/lib/log";
import { exitGracefullyOnSigterm } from "@/lib/server/graceful-shutdown";
import { startJobWorkers } from "@/lib/server/job-workers";
import { serverRoot } from "@/lib/server/root";
import { startupSummary } from "@/lib/server/startup-summary";
import { RESTORED_SCAN_GRACE_MS } from "@/lib/queries/cluster-scan";
import { keepScansFresh, SCAN_REFRESH_INTERVAL_MS } from "@/lib/queries/scan-refresh";
import { prepareClusterView } from "@/lib/queries/views";

export async function startServer(): Promise<void> {
  try {
    env();
  } catch (error) {
    // The message names each bad variable; nothing else can work without them.
    console.error(error instanceof EnvError ? error.message : error);
    process.exit(1);
  }
  let stopWork: (timeoutMs: number) => Promise<void>;
  try {
    await auditStore();
    // Runs left open by a stopped process are taken up again here or by any replica (lib/server/job-workers.ts).
    stopWork = await startJobWorkers();
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
  // Stored clusters join the gateway now, not on the first page that lists clusters; a failure is retried by the next caller.
  await serverRoot()
    .clusterConnections()
    .catch((error: unknown) => logger.error({ err: error instanceof Error ? error.message : String(error) }, "stored clusters could not be connected; kubeconfig clusters work, and the clusters page retries"));
  exitGracefullyOnSigterm(env().PULLKEEPER_SHUTDOWN_TIMEOUT_SECONDS * 1000, async (timeoutMs) => {
    await stopWork(timeoutMs);
    // The newest scan of each cluster waiting for its save (at most one a minute) is saved now, for after the restart.
    await serverRoot().scanSnapshots.flush();
  });
  if (env().PULLKEEPER_BACKGROUND_SCANS === "on" || env().PULLKEEPER_METRICS_TOKEN) keepEveryScanFresh();
  logger.info({ ...startupSummary(), jobs: (await serverRoot().jobs()).engine }, "pullkeeper started");
}

/** Pages and metrics scrapes read the scan cache; this keeps it current (lib/queries/README.md). */
function keepEveryScanFresh(): void {
  const root = serverRoot();
  const began = Date.now();
  root.startup.warmingSince = began;
  keepScansFresh(
    {
      clusterNames: () => root.ports().kube.listClusters().map((info) => info.name),
      restore: (cluster) => root.scans().restore(cluster),
      prepare: (cluster) => prepareClusterView(cluster),
      scan: (cluster) => root.scans().get(cluster),
      warm: ({ restored, scanned }) => {
        root.startup.warmingSince = null;
        logger.info({ restored, scanned, durationMs: Date.now() - began }, "every cluster has coverage to show: saved scans restored, the other clusters scanned");
      },
    },
    SCAN_REFRESH_INTERVAL_MS,
    RESTORED_SCAN_GRACE_MS,
  );
}
