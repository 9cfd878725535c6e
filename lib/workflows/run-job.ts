import { describeError } from "@/lib/errors";
import type { WorkflowDeps } from "./engine/deps";
import type { Plan } from "./engine/plan";
import { runChunk, type ChunkOptions } from "./engine/run-chunk";
import type { ApplyResult } from "./engine/run-result";
import type { RunStateStore } from "./engine/run-state";
import { isWorkflowKind, workflowDefinition } from "./catalog";

export interface RunJobOptions {
  /** No step starts after this long; the rest goes to the next job (stays well within the job's expiry). */
  chunkMs: number;
  /** Aborted at shutdown: no new step starts, the run goes on elsewhere. */
  pauseSignal?: AbortSignal;
  /** Why the run's actor may no longer run it (ChunkOptions.authorise), asked before each chunk. */
  authorise?: ChunkOptions["authorise"];
}

/** `resumeAt`: the run waits out a grace period; its next chunk is due then (a delayed job). */
export type RunJobOutcome = { closed: ApplyResult } | { closed: null; resumeAt?: Date };

/**
 * One job's worth of a workflow run (the `workflow-run` queue's handler, in any
 * replica): runs steps for up to `chunkMs`, then hands back — the caller
 * enqueues the next chunk — or closes the run when every step has ended.
 * Steps a dead process had started are checked by planning again from the
 * cluster as it is now. A stored run that can no longer be read (written by
 * another version, or sealed under another AUTH_SECRET) is closed as
 * interrupted with that reason: it is never guessed at.
 */
export async function runWorkflowJob(operationId: string, deps: WorkflowDeps & { runs: RunStateStore }, options: RunJobOptions): Promise<RunJobOutcome> {
  let closed: ApplyResult | null;
  let resumeAt: Date | undefined;
  try {
    closed = await runChunk(operationId, deps, deps.runs, {
      deadline: Date.now() + options.chunkMs,
      ...(options.pauseSignal ? { pauseSignal: options.pauseSignal } : {}),
      replan: (plan) => replan(plan, deps),
      onWait: (at) => (resumeAt = at),
      ...(options.authorise ? { authorise: options.authorise } : {}),
    });
  } catch (error) {
    if (describeError(error).kind !== "invalid") throw error;
    await deps.audit
      .finishOperation(operationId, {
        status: "interrupted",
        summary: `This run cannot be resumed: ${describeError(error).message}. Nothing more was done; re-run it to finish what is left.`,
      })
      .catch(() => undefined);
    await deps.runs.remove(operationId);
    return { closed: null };
  }
  return closed ? { closed } : { closed: null, ...(resumeAt ? { resumeAt } : {}) };
}

/** The plan as it would be now, for the workflows that plan from live state (delete and verify runs have no planner: their step is done again). */
async function replan(plan: Plan, deps: WorkflowDeps): Promise<Plan | null> {
  if (!isWorkflowKind(plan.kind)) return null;
  try {
    return await workflowDefinition(plan.kind).plan(plan.input, deps);
  } catch {
    // Unknown state: the started steps are done again, as a step that cannot duplicate anything is (see CREATING_STEPS).
    return null;
  }
}
