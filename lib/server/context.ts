import "server-only";
import { auditStore } from "@/lib/audit";
import type { WorkflowDeps } from "@/lib/workflows";
import type { RunStateStore } from "@/lib/workflows/engine/run-state";
import { portsConfigFromEnv, workflowDeps, type Ports } from "./ports";
import { serverRoot } from "./root";

export { portsConfigFromEnv } from "./ports";

/** Kubernetes gateway, IAM client and registry verifier for this process (held by the composition root). */
export function ports(): Ports {
  return serverRoot().ports();
}

/** The workflow ports of this process: runs are stored (any replica can finish them) and handed to the job queue. */
export async function serverWorkflowDeps(): Promise<WorkflowDeps & { runs: RunStateStore }> {
  const config = portsConfigFromEnv();
  const root = serverRoot();
  const runs = await root.runStates();
  const jobs = await root.jobs();
  const runQueue = { enqueue: async (operationId: string) => void (await jobs.send("workflow-run", { operationId }, WORKFLOW_RUN_JOB(operationId))) };
  return { ...workflowDeps(ports(), await auditStore(), config.workflowConcurrency ?? 8, { observer: root.metrics(), previews: root.previews(), runs, runQueue }), runs };
}

/**
 * One waiting job per run (stately singleton); retried when its process died
 * (expiry) or the handler failed (an unreachable database), 10 times, 5 s apart and doubling.
 */
export const WORKFLOW_RUN_JOB = (operationId: string) => ({ singletonKey: operationId, retryLimit: 10, retryDelaySeconds: 5, retryBackoff: true });
