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

/**
 * Executes a plan's `change` steps stage by stage with bounded concurrency,
 * recording every step in the audit log before it starts and after it ends. An
 * audit write that fails stops the run: nothing happens that is not recorded.
 */
export async function applyPlan(plan: Plan, deps: WorkflowDeps, options: ApplyOptions): Promise<ApplyResult> {
  const now = deps.now ?? (() => new Date());
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

  const results = new Map<string, StepResult>();
  for (const step of plan.steps) {
    if (step.status === "skip") results.set(step.key, "succeeded");
  }
  const notRun = plan.steps.filter((candidate) => candidate.status !== "change");
  if (notRun.length) {
    await deps.audit.recordSteps(
      operation.id,
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

  const run: RunState = { cluster: plan.cluster, operationId: operation.id, outputs: new Map(), secrets: options.secrets ?? {} };
  // A reused service ID is a `skip` step that does not run: later IAM steps read its ids from the plan.
  for (const step of plan.steps) {
    if (step.status === "skip" && step.op.type === "iam.ensure_service_id" && step.op.existing) {
      run.outputs.set(step.key, { serviceIdId: step.op.existing.id, serviceIamId: step.op.existing.iamId });
    }
  }
  let anyFailed = false;
  let cancelled = false;
  const stages = [...new Set(plan.steps.filter((step) => step.status === "change").map((step) => step.stage))].sort((a, b) => a - b);

  const outcomes = new Map<string, StepOutcome>();
  const skip = async (step: PlanStep, reason: string) => {
    results.set(step.key, "skipped");
    outcomes.set(step.key, { key: step.key, sequence: step.sequence, outcome: "skipped", detail: { reason } });
    await deps.audit.recordStep(operation.id, {
      sequence: step.sequence, phase: "finished", action: step.action, outcome: "skipped", target: step.target, detail: { reason },
    });
  };

  // An audit write that fails stops the run: no new step starts, and the operation is closed as failed.
  let auditFailure: unknown = null;
  const runStep = async (step: PlanStep): Promise<void> => {
    if (options.signal?.aborted) {
      cancelled = true;
      return skip(step, `Cancelled by ${options.actor.email} before this step started.`);
    }
    if (anyFailed && options.failurePolicy === "stop") return skip(step, "Not attempted: an earlier step failed and this workflow stops at the first failure.");
    const blocker = step.dependsOn.find((key) => results.get(key) !== "succeeded");
    if (blocker) {
      const blocking = plan.steps.find((candidate) => candidate.key === blocker);
      return skip(step, `Not attempted: step ${blocking?.sequence ?? "?"} (${blocking?.title ?? blocker}) did not succeed.`);
    }

    await deps.audit.recordStep(operation.id, {
      sequence: step.sequence, phase: "started", action: step.action, outcome: "started", target: step.target,
      ...(step.beforeFingerprint ? { beforeFingerprint: step.beforeFingerprint } : {}),
    });
    const started = performance.now();
    let effect: StepEffect | undefined;
    let failure: { described: DescribedError; detail?: Record<string, unknown> } | undefined;
    try {
      effect = await retry(
        async (attempt) => {
          const done = await executeStep(step, deps, run);
          return attempt > 1 ? { ...done, detail: { ...done.detail, attempts: attempt } } : done;
        },
        {
          attempts: STEP_ATTEMPTS,
          signal: options.signal,
          delayMs: (error, attempt) => {
            const described = describeError(error);
            if (!mayRepeatAfter(step, described)) return undefined;
            deps.observer?.stepRetried(step.action);
            return Math.min(10_000, (described.retryAfterSeconds ?? 0) * 1000 || 250 * 2 ** attempt);
          },
        },
      );
    } catch (error) {
      failure = { described: describeError(error), detail: (error as { detail?: Record<string, unknown> }).detail };
    }
    const durationMs = Math.round(performance.now() - started);
    if (effect) {
      results.set(step.key, "succeeded");
      outcomes.set(step.key, { key: step.key, sequence: step.sequence, outcome: "succeeded", ...(effect.detail ? { detail: effect.detail } : {}) });
      await deps.audit.recordStep(operation.id, {
        sequence: step.sequence, phase: "finished", action: step.action, outcome: "succeeded", target: step.target,
        beforeFingerprint: effect.beforeFingerprint ?? step.beforeFingerprint ?? undefined,
        afterFingerprint: effect.afterFingerprint ?? undefined,
        ...(effect.detail ? { detail: effect.detail } : {}),
        durationMs,
        recordedAt: now(),
      });
      return;
    }
    anyFailed = true;
    results.set(step.key, "failed");
    const error = { kind: failure!.described.kind, message: failure!.described.message };
    outcomes.set(step.key, { key: step.key, sequence: step.sequence, outcome: "failed", error, ...(failure!.detail ? { detail: failure!.detail } : {}) });
    await deps.audit.recordStep(operation.id, {
      sequence: step.sequence, phase: "finished", action: step.action, outcome: "failed", target: step.target,
      error,
      ...(failure!.detail ? { detail: failure!.detail } : {}),
      durationMs,
      recordedAt: now(),
    });
  };

  try {
    for (const stage of stages) {
      const steps = plan.steps.filter((step) => step.status === "change" && step.stage === stage);
      await pLimit(Math.max(1, deps.concurrency)).map(steps, async (step) => {
        if (auditFailure) return;
        try {
          await runStep(step);
        } catch (error) {
          auditFailure ??= error;
        }
      });
      if (auditFailure) break;
    }
  } finally {
    // The API key exists only in this run's memory: drop it as soon as the run ends.
    run.outputs.clear();
  }
  if (auditFailure) {
    await deps.audit
      .finishOperation(operation.id, { status: "failed", summary: "Stopped: the audit log could not be written, so no further step was started.", finishedAt: now() })
      .catch(() => undefined);
    throw auditFailure;
  }

  const attempted = plan.steps.filter((step) => step.status === "change");
  const succeeded = attempted.filter((step) => results.get(step.key) === "succeeded").length;
  const failed = attempted.filter((step) => results.get(step.key) === "failed").length;
  const status: Exclude<OperationStatus, "planned" | "running"> = cancelled
    ? "interrupted"
    : failed === 0
      ? "succeeded"
      : succeeded === 0
        ? "failed"
        : "partially_failed";
  const steps = attempted.flatMap((step) => outcomes.get(step.key) ?? []);
  const summary = options.summarise?.({ status, steps }) ?? summarise(status, attempted.length, succeeded, failed, plan.counts.skip, options.actor.email);
  const finished = await deps.audit.finishOperation(operation.id, { status, summary, finishedAt: now() });
  return { operationId: operation.id, status, counts: finished.counts, summary, steps };
}

function summarise(status: OperationStatus, changes: number, succeeded: number, failed: number, alreadyDone: number, actor: string): string {
  const done = `${succeeded} of ${changes} change${changes === 1 ? "" : "s"} applied`;
  const rest = [failed ? `${failed} failed` : null, alreadyDone ? `${alreadyDone} already in place` : null].filter(Boolean).join(", ");
  const prefix = status === "interrupted" ? `Cancelled by ${actor}: ` : "";
  return `${prefix}${done}${rest ? `; ${rest}` : ""}.`;
}
