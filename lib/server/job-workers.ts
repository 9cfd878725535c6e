import "server-only";
import { z } from "zod";
import { createRunAuthoriser } from "@/lib/auth/run-authorisation";
import { authService } from "@/lib/auth/service";
import { env } from "@/lib/env";
import type { JobQueue } from "@/lib/jobs/port";
import { logger } from "@/lib/log";
import { invalidateCluster } from "@/lib/queries";
import { runWorkflowJob } from "@/lib/workflows/run-job";
import { sweepClusterCredentials } from "@/lib/workflows/verification-sweep";
import { serverWorkflowDeps, WORKFLOW_RUN_JOB } from "./context";
import { serverRoot } from "./root";
import { startJoinRuleSchedule } from "./join-rule-schedule";
import { queueRuleEvaluations, startRuleKeeping } from "./rule-keeping";
import { pauseSignal } from "./running-operations";

const workflowRunPayload = z.object({ operationId: z.string().min(1).max(100) });

/**
 * Starts this process's share of the background work: workflow runs (any
 * replica takes any run, chunk by chunk) and the check that every open run has
 * a job. Returns the stop used at shutdown.
 */
export async function startJobWorkers(): Promise<(timeoutMs: number) => Promise<void>> {
  const root = serverRoot();
  const jobs = await root.jobs();
  const config = env();
  // Each chunk of a run checks its actor again (deactivated, role lowered, cluster taken away): lib/auth/run-authorisation.ts.
  const authorise = createRunAuthoriser({ findByEmail: async (email) => (await authService()).users.findByEmail(email) });
  await jobs.work(
    "workflow-run",
    async (job) => {
      const payload = workflowRunPayload.safeParse(job.data);
      if (!payload.success) {
        // A job queued by another version whose shape this one does not know: said once, not retried (nothing to run).
        logger.error({ jobId: job.id, queue: job.queue }, "workflow-run job with a payload this version cannot read; dropped (any open run is adopted from its stored state)");
        return;
      }
      const { operationId } = payload.data;
      const deps = await serverWorkflowDeps();
      const outcome = await runWorkflowJob(operationId, deps, { chunkMs: config.PULLKEEPER_JOB_CHUNK_SECONDS * 1000, pauseSignal: pauseSignal(), authorise });
      if (outcome.closed) {
        logger.info({ operationId, status: outcome.closed.status }, "workflow finished");
        // Pages show cached scans: the next one must see what this run changed.
        const operation = await deps.audit.getOperation(operationId);
        if (operation?.cluster) invalidateCluster(operation.cluster);
        // A rule's fix ended: its status is evaluated again so it says what is left.
        if (operation?.kind === "keep_rule" && operation.cluster && typeof operation.parameters.ruleId === "string") {
          await queueRuleEvaluations({ ruleId: operation.parameters.ruleId, cluster: operation.cluster });
        }
        return;
      }
      // More to do: the next chunk is a new job, which this or any other replica takes (after a grace period: a delayed job, which survives a restart).
      const startAfterSeconds = outcome.resumeAt ? Math.max(1, Math.ceil((outcome.resumeAt.getTime() - Date.now()) / 1000)) : 0;
      if (await deps.runs.load(operationId).then(Boolean, () => false)) {
        await jobs.send("workflow-run", { operationId }, { ...WORKFLOW_RUN_JOB(operationId), ...(startAfterSeconds ? { startAfterSeconds } : {}) });
      }
    },
    { concurrency: config.PULLKEEPER_WORKFLOW_WORKERS },
  );
  await jobs.work("verification-sweep", async () => sweepFleet());
  if (config.PULLKEEPER_VERIFY_SCHEDULE !== "off") await jobs.schedule("verification-sweep", config.PULLKEEPER_VERIFY_SCHEDULE);
  await startJoinRuleSchedule(jobs);
  const stopAdopting = adoptOrphanedRuns(jobs, config.PULLKEEPER_JOB_EXPIRE_SECONDS * 1000);
  const stopKeeping = await startRuleKeeping(jobs);
  return async (timeoutMs) => {
    stopAdopting();
    await stopKeeping();
    await jobs.stop(timeoutMs);
  };
}

/**
 * The scheduled sweep: every distinct credential of every reachable cluster,
 * checked once against its registry. Each result is saved by the ports'
 * verifier (the dashboard shows it, the metrics count it, and a rejection is
 * notified); clusters that cannot be read now are left to the next sweep.
 */
async function sweepFleet(): Promise<void> {
  const root = serverRoot();
  const ports = root.ports();
  const started = Date.now();
  let checked = 0;
  let rejected = 0;
  for (const { name } of ports.kube.listClusters()) {
    const scan = (await root.scans().get(name)).value;
    if (!scan.inventory) continue;
    const swept = await sweepClusterCredentials(ports, name, scan.inventory);
    checked += swept.length;
    rejected += swept.filter((entry) => entry.result === "rejected").length;
  }
  logger.info({ checked, rejected, durationMs: Date.now() - started }, "credential sweep finished");
}

/**
 * A run whose stored state nobody touched for a job's expiry has no live
 * process (its job was lost, or it ran inline in a request whose process
 * died): it gets a job. Harmless when a job already waits (one per run).
 */
function adoptOrphanedRuns(jobs: JobQueue, leaseMs: number): () => void {
  const adopt = async () => {
    const runs = await serverRoot().runStates();
    for (const operationId of await runs.idleSince(new Date(Date.now() - leaseMs))) {
      const id = await jobs.send("workflow-run", { operationId }, WORKFLOW_RUN_JOB(operationId));
      if (id) logger.warn({ operationId }, "an open run had no live process; queued to finish it");
    }
  };
  const run = () => void adopt().catch((error: unknown) => logger.error({ err: error instanceof Error ? error.message : String(error) }, "could not check for orphaned runs"));
  run();
  const timer = setInterval(run, Math.max(5_000, leaseMs / 2));
  timer.unref();
  return () => clearInterval(timer);
}
