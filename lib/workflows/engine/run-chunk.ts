import type { OperationWithSteps } from "@/lib/audit/port";
import { SourceReads } from "@/lib/kube/source-reads";
import type { Actor, WorkflowDeps } from "./deps";
import type { RunState } from "./execute-step";
import { planClusters, type Plan } from "./plan";
import type { RunStateStore, StoredRun } from "./run-state";
import { outputsToKeepWhileWaiting } from "./step-rules";
import { runStages } from "./run-stages";
import { closeRun, resultFromRecord, type ApplyResult, type StepOutcome, type Summariser } from "./run-result";

/** How a chunk of a run may go on, and what makes it stop starting steps. */
export interface ChunkOptions {
  /** Cancels the run (this process's own caller): the remaining steps are skipped as cancelled. */
  cancelSignal?: AbortSignal;
  /** Stops starting steps (shutdown, or the chunk's time is up): the rest is left for the next chunk. */
  pauseSignal?: AbortSignal;
  /** Epoch ms after which no step starts in this chunk. */
  deadline?: number;
  /** Plans the run again from live state, to check steps a dead process had started (run-job.ts). */
  replan?: (plan: Plan) => Promise<Plan | null>;
  summarise?: Summariser;
  /** How often another replica's cancel request is looked for. */
  cancelPollMs?: number;
  /** Told when the run's next step waits out a grace period (step.waitSeconds): the run goes on no earlier than `at`. */
  onWait?: (at: Date) => void;
  /** Why the run's actor may no longer run it on these clusters, or null; asked once per chunk (lib/workflows/README.md). */
  authorise?: (actor: Actor, clusters: readonly string[]) => Promise<string | null>;
}

type StepResult = "succeeded" | "failed" | "skipped";
/** One chunk's view of a run while its steps execute. */
export interface Run {
  stored: StoredRun;
  plan: Plan;
  deps: WorkflowDeps;
  runs: RunStateStore;
  chunk: ChunkOptions;
  operationId: string;
  state: RunState;
  now: () => Date;
  /** How each step ended so far, this chunk or earlier (`skip` steps count as succeeded for their dependants). */
  results: Map<string, StepResult>;
  outcomes: Map<string, StepOutcome>;
  /** Steps a dead process recorded as started: their `started` event exists already. */
  startedBefore: Set<string>;
  anyFailed: boolean;
  /** Steps started by this chunk: a chunk always starts at least one, so a run progresses however short its chunks. */
  startedHere: number;
  cancelledBy: string | null;
  /** Why the run's actor may no longer run it (ChunkOptions.authorise): no step starts, the run closes as interrupted. */
  revoked: string | null;
  /** An audit write that failed: no new step starts, and the operation is closed as failed. */
  auditFailure: unknown;
  /** When each step ended (epoch ms), for the grace periods of the steps that depend on it. */
  endedAt: Map<string, number>;
  /** The earliest time a waiting step may start, once one waits. */
  waitUntil: number | null;
}

/**
 * Runs what is left of an open run, up to the chunk's deadline or pause, and closes it when every planned step has
 * ended. Safe to repeat: the audit record says which steps ended, and steps a dead process had started are checked
 * against the cluster (`replan`) before they are done again. Returns the result once the run is closed, else null.
 */
export async function runChunk(operationId: string, deps: WorkflowDeps, runs: RunStateStore, chunk: ChunkOptions = {}): Promise<ApplyResult | null> {
  const stored = await runs.load(operationId);
  const operation = await deps.audit.getOperation(operationId);
  if (!operation) throw new Error(`operation ${operationId} is not in the audit log`);
  if (!stored || operation.status !== "running") {
    await runs.remove(operationId);
    return resultFromRecord(operation, stored?.plan ?? null);
  }
  const run = resumeRun(stored, operation, deps, runs, chunk);
  run.cancelledBy = stored.cancelRequestedBy;
  run.revoked = chunk.authorise ? await chunk.authorise(stored.options.actor, planClusters(run.plan)) : null;
  await checkStartedSteps(run);
  const stopPolling = pollCancel(run);
  try {
    await runStages(run);
  } finally {
    stopPolling();
  }
  if (run.auditFailure) {
    await deps.audit
      .finishOperation(operationId, { status: "failed", summary: "Stopped: the audit log could not be written, so no further step was started.", finishedAt: run.now() })
      .catch(() => undefined);
    await runs.remove(operationId).catch(() => undefined);
    throw run.auditFailure;
  }
  const open = run.plan.steps.some((step) => step.status === "change" && !run.results.has(step.key));
  if (open) {
    await runs.touch(operationId);
    if (run.waitUntil !== null) {
      const kept = outputsToKeepWhileWaiting(run.plan.steps, (key) => run.results.has(key), run.state.outputs);
      if (kept) await runs.saveOutputs(operationId, kept);
      chunk.onWait?.(new Date(run.waitUntil));
    }
    return null;
  }
  const result = await closeRun(run, chunk.summarise);
  await runs.remove(operationId);
  return result;
}

/** The run as the audit record and the stored state leave it. */
function resumeRun(stored: StoredRun, operation: OperationWithSteps, deps: WorkflowDeps, runs: RunStateStore, chunk: ChunkOptions): Run {
  const plan = stored.plan;
  const results = new Map<string, StepResult>(plan.steps.filter((step) => step.status === "skip").map((step) => [step.key, "succeeded"]));
  const outcomes = new Map<string, StepOutcome>();
  const startedBefore = new Set<string>();
  const endedAt = new Map<string, number>();
  const bySequence = new Map(plan.steps.map((step) => [step.sequence, step]));
  for (const record of operation.steps) {
    const step = bySequence.get(record.sequence);
    if (!step || step.status !== "change") continue;
    if (record.outcome === "started") startedBefore.add(step.key);
    else if (record.outcome === "succeeded" || record.outcome === "failed" || record.outcome === "skipped") {
      results.set(step.key, record.outcome);
      endedAt.set(step.key, Date.parse(record.recordedAt));
      outcomes.set(step.key, {
        key: step.key, sequence: step.sequence, outcome: record.outcome,
        ...(record.error ? { error: record.error } : {}),
        ...(record.detail ? { detail: record.detail } : {}),
      });
    }
  }
  // Copies of one source share the first copy's read of it in this chunk, instead of one GET per copy.
  const state: RunState = { cluster: plan.cluster, operationId: stored.operationId, outputs: new Map(Object.entries(stored.outputs)), secrets: stored.secrets, sources: new SourceReads() };
  // A reused service ID is a `skip` step that does not run: later IAM steps read its ids from the plan.
  for (const step of plan.steps) {
    if (step.status === "skip" && step.op.type === "iam.ensure_service_id" && step.op.existing) {
      state.outputs.set(step.key, { serviceIdId: step.op.existing.id, serviceIamId: step.op.existing.iamId });
    }
  }
  const anyFailed = [...results.values()].includes("failed");
  return { stored, plan, deps, runs, chunk, operationId: stored.operationId, state, now: deps.now ?? (() => new Date()), results, outcomes, startedBefore, anyFailed, startedHere: 0, cancelledBy: null, revoked: null, auditFailure: null, endedAt, waitUntil: null };
}

/**
 * Steps a process recorded as started and never finished may or may not have reached the cluster. Planning again
 * from live state tells: a step the new plan skips is in place (recorded as succeeded, checked); any other is done again.
 */
async function checkStartedSteps(run: Run): Promise<void> {
  const pending = run.plan.steps.filter((step) => run.startedBefore.has(step.key));
  if (!pending.length || !run.chunk.replan) return;
  const fresh = await run.chunk.replan(run.plan);
  if (!fresh) return;
  const now = new Map(fresh.steps.map((step) => [step.key, step]));
  const inPlace = pending.filter((step) => now.get(step.key)?.status === "skip");
  const detail = { checkedOnResume: "the cluster already holds this change: the process that started it stopped before recording its end" };
  for (const step of inPlace) {
    run.results.set(step.key, "succeeded");
    run.outcomes.set(step.key, { key: step.key, sequence: step.sequence, outcome: "succeeded", detail });
    run.startedBefore.delete(step.key);
  }
  // Recorded together (the store writes events asked for at once in one insert).
  await Promise.all(inPlace.map((step) => run.deps.audit.recordStep(run.operationId, { sequence: step.sequence, phase: "finished", action: step.action, outcome: "succeeded", target: step.target, detail, recordedAt: run.now() })));
}

/** Another replica's cancel arrives through the run's stored state. */
function pollCancel(run: Run): () => void {
  const timer = setInterval(() => {
    void run.runs.cancelRequestedBy(run.operationId).then((by) => (run.cancelledBy ??= by), () => undefined);
  }, run.chunk.cancelPollMs ?? 1000);
  timer.unref?.();
  return () => clearInterval(timer);
}
