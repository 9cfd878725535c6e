import pLimit from "p-limit";
import type { OperationStatus } from "@/lib/audit/port";
import { describeError, type DescribedError } from "@/lib/errors";
import { retry } from "@/lib/retry";
import type { Actor, RunSecrets, WorkflowDeps } from "./deps";
import { executeStep, type RunState, type StepEffect } from "./execute-step";
import type { Plan, PlanStep } from "./plan";

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
  /** The operation's summary in the workflow's own words; by default "n of m changes applied". */
  summarise?: (outcome: { status: OperationStatus; steps: readonly StepOutcome[] }) => string;
}

/** How one applied step ended, as recorded (credential-free). */
export interface StepOutcome {
  key: string;
  sequence: number;
  outcome: "succeeded" | "failed" | "skipped";
  error?: { kind: string; message: string };
  detail?: Record<string, unknown>;
}

export interface ApplyResult {
  operationId: string;
  status: OperationStatus;
  counts: { total: number; succeeded: number; failed: number; skipped: number };
  summary: string;
  /** The `change` steps in plan order, as each ended. */
  steps: StepOutcome[];
}

type StepResult = "succeeded" | "failed" | "skipped";

/** Attempts for a step whose failure was transient (the adapters retry inside too). */
const STEP_ATTEMPTS = 3;

/** Steps that create something: after an unclear failure (5xx, timeout) the object may exist, and a repeat would misreport or duplicate it. */
const CREATING_STEPS: ReadonlySet<PlanStep["op"]["type"]> = new Set([
  "iam.ensure_service_id",
  "iam.ensure_policy",
  "iam.create_api_key",
  "secret.create",
  "secret.copy",
]);

function mayRepeatAfter(step: PlanStep, error: DescribedError): boolean {
  if (!error.transient) return false;
  if (error.kind === "rate_limited") return true; // 429: the server did not process the request
  return !CREATING_STEPS.has(step.op.type);
}

/** One run's shared state while its steps execute. */
interface Run {
  plan: Plan;
  deps: WorkflowDeps;
  options: ApplyOptions;
  operationId: string;
  state: RunState;
  now: () => Date;
  /** How each step ended so far (`skip` steps count as succeeded for their dependants). */
  results: Map<string, StepResult>;
  outcomes: Map<string, StepOutcome>;
  anyFailed: boolean;
  cancelled: boolean;
  /** An audit write that failed: no new step starts, and the operation is closed as failed. */
  auditFailure: unknown;
}

/**
 * Executes a plan's `change` steps stage by stage with bounded concurrency,
 * recording every step in the audit log before it starts and after it ends. An
 * audit write that fails stops the run: nothing happens that is not recorded.
 */
export async function applyPlan(plan: Plan, deps: WorkflowDeps, options: ApplyOptions): Promise<ApplyResult> {
  const run = await openRun(plan, deps, options);
  await recordStepsNotRun(run);
  try {
    await runStages(run);
  } finally {
    // The API key exists only in this run's memory: drop it as soon as the run ends.
    run.state.outputs.clear();
  }
  if (run.auditFailure) {
    await deps.audit
      .finishOperation(run.operationId, { status: "failed", summary: "Stopped: the audit log could not be written, so no further step was started.", finishedAt: run.now() })
      .catch(() => undefined);
    throw run.auditFailure;
  }
  return closeRun(run);
}

/** Records the operation as running, before any step, and hands its id to the caller. */
async function openRun(plan: Plan, deps: WorkflowDeps, options: ApplyOptions): Promise<Run> {
  const operation = await deps.audit.startOperation({
    kind: plan.kind,
    actor: options.actor.email,
    actorRole: options.actor.role,
    cluster: plan.cluster,
    namespaces: plan.namespaces,
    parameters: { ...plan.input, planDigest: plan.digest },
    status: "running",
    runnerId: deps.runnerId,
    ...(options.relatedOperationId ? { relatedOperationId: options.relatedOperationId } : {}),
  });
  options.onStarted?.(operation.id);
  const results = new Map<string, StepResult>(plan.steps.filter((step) => step.status === "skip").map((step) => [step.key, "succeeded"]));
  const state: RunState = { cluster: plan.cluster, operationId: operation.id, outputs: new Map(), secrets: options.secrets ?? {} };
  // A reused service ID is a `skip` step that does not run: later IAM steps read its ids from the plan.
  for (const step of plan.steps) {
    if (step.status === "skip" && step.op.type === "iam.ensure_service_id" && step.op.existing) {
      state.outputs.set(step.key, { serviceIdId: step.op.existing.id, serviceIamId: step.op.existing.iamId });
    }
  }
  return {
    plan, deps, options, results,
    operationId: operation.id,
    state,
    now: deps.now ?? (() => new Date()),
    outcomes: new Map(),
    anyFailed: false,
    cancelled: false,
    auditFailure: null,
  };
}

/** The plan's skipped and refused steps, recorded in one batch as the run starts. */
async function recordStepsNotRun(run: Run): Promise<void> {
  const notRun = run.plan.steps.filter((candidate) => candidate.status !== "change");
  if (!notRun.length) return;
  await run.deps.audit.recordSteps(
    run.operationId,
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

/** Stage by stage; within a stage, up to `deps.concurrency` steps at once. */
async function runStages(run: Run): Promise<void> {
  const changes = run.plan.steps.filter((step) => step.status === "change");
  const stages = [...new Set(changes.map((step) => step.stage))].sort((a, b) => a - b);
  for (const stage of stages) {
    await pLimit(Math.max(1, run.deps.concurrency)).map(
      changes.filter((step) => step.stage === stage),
      async (step) => {
        if (run.auditFailure) return;
        try {
          await runStep(run, step);
        } catch (error) {
          run.auditFailure ??= error;
        }
      },
    );
    if (run.auditFailure) return;
  }
}

/** Why a step must not start (cancelled, an earlier failure under `stop`, a dependency that did not succeed), or null. */
function reasonNotToStart(run: Run, step: PlanStep): string | null {
  if (run.options.signal?.aborted) {
    run.cancelled = true;
    return `Cancelled by ${run.options.actor.email} before this step started.`;
  }
  if (run.anyFailed && run.options.failurePolicy === "stop") return "Not attempted: an earlier step failed and this workflow stops at the first failure.";
  const blocker = step.dependsOn.find((key) => run.results.get(key) !== "succeeded");
  if (!blocker) return null;
  const blocking = run.plan.steps.find((candidate) => candidate.key === blocker);
  return `Not attempted: step ${blocking?.sequence ?? "?"} (${blocking?.title ?? blocker}) did not succeed.`;
}

async function runStep(run: Run, step: PlanStep): Promise<void> {
  const reason = reasonNotToStart(run, step);
  if (reason) return recordSkipped(run, step, reason);
  await run.deps.audit.recordStep(run.operationId, {
    sequence: step.sequence, phase: "started", action: step.action, outcome: "started", target: step.target,
    ...(step.beforeFingerprint ? { beforeFingerprint: step.beforeFingerprint } : {}),
  });
  const started = performance.now();
  const ended = await attemptStep(run, step);
  const durationMs = Math.round(performance.now() - started);
  return "effect" in ended ? recordSucceeded(run, step, ended.effect, durationMs) : recordFailed(run, step, ended, durationMs);
}

/** Executes the step, repeating it after a transient failure where a repeat cannot duplicate anything. */
async function attemptStep(run: Run, step: PlanStep): Promise<{ effect: StepEffect } | { described: DescribedError; detail?: Record<string, unknown> }> {
  try {
    const effect = await retry(
      async (attempt) => {
        const done = await executeStep(step, run.deps, run.state);
        return attempt > 1 ? { ...done, detail: { ...done.detail, attempts: attempt } } : done;
      },
      {
        attempts: STEP_ATTEMPTS,
        signal: run.options.signal,
        delayMs: (error, attempt) => {
          const described = describeError(error);
          if (!mayRepeatAfter(step, described)) return undefined;
          run.deps.observer?.stepRetried(step.action);
          return Math.min(10_000, (described.retryAfterSeconds ?? 0) * 1000 || 250 * 2 ** attempt);
        },
      },
    );
    return { effect };
  } catch (error) {
    const detail = (error as { detail?: Record<string, unknown> }).detail;
    return { described: describeError(error), ...(detail ? { detail } : {}) };
  }
}

async function recordSkipped(run: Run, step: PlanStep, reason: string): Promise<void> {
  run.results.set(step.key, "skipped");
  run.outcomes.set(step.key, { key: step.key, sequence: step.sequence, outcome: "skipped", detail: { reason } });
  await run.deps.audit.recordStep(run.operationId, {
    sequence: step.sequence, phase: "finished", action: step.action, outcome: "skipped", target: step.target, detail: { reason },
  });
}

async function recordSucceeded(run: Run, step: PlanStep, effect: StepEffect, durationMs: number): Promise<void> {
  run.results.set(step.key, "succeeded");
  run.outcomes.set(step.key, { key: step.key, sequence: step.sequence, outcome: "succeeded", ...(effect.detail ? { detail: effect.detail } : {}) });
  await run.deps.audit.recordStep(run.operationId, {
    sequence: step.sequence, phase: "finished", action: step.action, outcome: "succeeded", target: step.target,
    beforeFingerprint: effect.beforeFingerprint ?? step.beforeFingerprint ?? undefined,
    afterFingerprint: effect.afterFingerprint ?? undefined,
    ...(effect.detail ? { detail: effect.detail } : {}),
    durationMs,
    recordedAt: run.now(),
  });
}

async function recordFailed(run: Run, step: PlanStep, failure: { described: DescribedError; detail?: Record<string, unknown> }, durationMs: number): Promise<void> {
  run.anyFailed = true;
  run.results.set(step.key, "failed");
  const error = { kind: failure.described.kind, message: failure.described.message };
  run.outcomes.set(step.key, { key: step.key, sequence: step.sequence, outcome: "failed", error, ...(failure.detail ? { detail: failure.detail } : {}) });
  await run.deps.audit.recordStep(run.operationId, {
    sequence: step.sequence, phase: "finished", action: step.action, outcome: "failed", target: step.target,
    error,
    ...(failure.detail ? { detail: failure.detail } : {}),
    durationMs,
    recordedAt: run.now(),
  });
}

/** The run's status and summary, recorded as the operation's end. */
async function closeRun(run: Run): Promise<ApplyResult> {
  const attempted = run.plan.steps.filter((step) => step.status === "change");
  const succeeded = attempted.filter((step) => run.results.get(step.key) === "succeeded").length;
  const failed = attempted.filter((step) => run.results.get(step.key) === "failed").length;
  const status: Exclude<OperationStatus, "planned" | "running"> = run.cancelled
    ? "interrupted"
    : failed === 0
      ? "succeeded"
      : succeeded === 0
        ? "failed"
        : "partially_failed";
  const steps = attempted.flatMap((step) => run.outcomes.get(step.key) ?? []);
  const summary = run.options.summarise?.({ status, steps }) ?? summarise(status, attempted.length, succeeded, failed, run.plan.counts.skip, run.options.actor.email);
  const finished = await run.deps.audit.finishOperation(run.operationId, { status, summary, finishedAt: run.now() });
  return { operationId: run.operationId, status, counts: finished.counts, summary, steps };
}

function summarise(status: OperationStatus, changes: number, succeeded: number, failed: number, alreadyDone: number, actor: string): string {
  const done = `${succeeded} of ${changes} change${changes === 1 ? "" : "s"} applied`;
  const rest = [failed ? `${failed} failed` : null, alreadyDone ? `${alreadyDone} already in place` : null].filter(Boolean).join(", ");
  const prefix = status === "interrupted" ? `Cancelled by ${actor}: ` : "";
  return `${prefix}${done}${rest ? `; ${rest}` : ""}.`;
}
