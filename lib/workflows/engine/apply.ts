import { setTimeout as sleep } from "node:timers/promises";
import type { Actor, RunSecrets, WorkflowDeps } from "./deps";
import type { Plan } from "./plan";
import { runChunk } from "./run-chunk";
import type { ApplyResult, Summariser } from "./run-result";
import { createMemoryRunStateStore, type RunStateStore } from "./run-state";

export type { ApplyResult, StepOutcome, Summariser } from "./run-result";

export interface ApplyOptions {
  actor: Actor;
  secrets?: RunSecrets;
  /** Checked between steps: a step in flight finishes, no new one starts. */
  signal?: AbortSignal;
  /** `stop`: the first failure skips every step not yet started. Default `continue`. */
  failurePolicy?: "continue" | "stop";
  relatedOperationId?: string;
  /** Called once the operation is recorded, before any step runs (to hand its id to a progress view). */
  onStarted?: (operationId: string) => void;
  summarise?: Summariser;
}

/**
 * Opens a run: records the operation as running, keeps what the run needs to
 * go on in `runs` (plan, options, sealed credentials), and records the plan's
 * skipped and refused steps in one batch. Nothing is executed yet: a chunk
 * (runChunk) does that, in this process or, as a job, in any replica.
 */
export async function openRun(plan: Plan, deps: WorkflowDeps, runs: RunStateStore, options: ApplyOptions): Promise<string> {
  const operation = await deps.audit.startOperation({
    kind: plan.kind,
    actor: options.actor.email,
    actorRole: options.actor.role,
    cluster: plan.cluster,
    namespaces: plan.namespaces,
    parameters: { ...plan.input, planDigest: plan.digest },
    status: "running",
    ...(options.relatedOperationId ? { relatedOperationId: options.relatedOperationId } : {}),
  });
  try {
    await runs.save({
      operationId: operation.id,
      kind: plan.kind,
      plan,
      options: { actor: options.actor, failurePolicy: options.failurePolicy ?? "continue", ...(options.relatedOperationId ? { relatedOperationId: options.relatedOperationId } : {}) },
      secrets: options.secrets ?? {},
      outputs: {},
      cancelRequestedBy: null,
    });
  } catch (error) {
    await deps.audit.finishOperation(operation.id, { status: "failed", summary: "The run could not be stored, so no step was started." }).catch(() => undefined);
    throw error;
  }
  options.onStarted?.(operation.id);
  await recordStepsNotRun(plan, deps, operation.id);
  return operation.id;
}

/** The plan's skipped and refused steps, recorded in one batch as the run starts. */
async function recordStepsNotRun(plan: Plan, deps: WorkflowDeps, operationId: string): Promise<void> {
  const notRun = plan.steps.filter((candidate) => candidate.status !== "change");
  if (!notRun.length) return;
  await deps.audit.recordSteps(
    operationId,
    notRun.map((step) => ({
      sequence: step.sequence,
      phase: "finished" as const,
      action: step.action,
      outcome: step.status === "skip" ? ("skipped" as const) : ("refused" as const),
      target: step.target,
      detail: { reason: step.reason ?? null },
    })),
  );
}

/**
 * Opens a run and executes it here to the end (scripts, tests, and the
 * one-step delete and verify operations a request waits for). With
 * `deps.runs`, the run is stored where any replica can finish it if this
 * process dies; without, it is held in memory. An audit write that fails
 * stops the run: nothing happens that is not recorded.
 */
export async function applyPlan(plan: Plan, deps: WorkflowDeps, options: ApplyOptions): Promise<ApplyResult> {
  const runs = deps.runs ?? createMemoryRunStateStore();
  const operationId = await openRun(plan, deps, runs, options);
  for (;;) {
    let waitUntil: Date | null = null;
    const result = await runChunk(operationId, deps, runs, {
      ...(options.signal ? { cancelSignal: options.signal } : {}),
      ...(options.summarise ? { summarise: options.summarise } : {}),
      onWait: (at) => (waitUntil = at),
    });
    if (result) return result;
    // A grace period (rotate_api_key's old-key delete): this process waits it out; a cancel ends the wait early.
    if (waitUntil) await sleep(Math.max(0, (waitUntil as Date).getTime() - Date.now()), undefined, options.signal ? { signal: options.signal } : {}).catch(() => undefined);
  }
}
