import type { RecordStepInput } from "@/lib/audit/port";
import { describeError, type DescribedError } from "@/lib/errors";
import { retry } from "@/lib/retry";
import { executeStep, type StepEffect } from "./execute-step";
import type { PlanStep } from "./plan";
import type { Run } from "./run-chunk";
import { graceDueAt, mayRepeatAfter, PRODUCING_STEPS, STEP_ATTEMPTS, withStepCluster } from "./step-rules";

/**
 * A step's end (and a skip), recorded behind it: the next step does not wait for that write. Every such write is
 * awaited before the stage, and the chunk, ends; the first that fails stops the run (no further step starts). A step
 * whose end is not yet stored when the process dies reads as `started`, which a resume checks against the cluster
 * (run-chunk.ts checkStartedSteps): the same as dying between the request and the write.
 */
class EndsBehind {
  private readonly pending = new Set<Promise<void>>();
  constructor(private readonly run: Run) {}

  record(event: RecordStepInput): Promise<void> {
    const write = this.run.deps.audit.recordStep(this.run.operationId, event).catch((error: unknown) => {
      this.run.auditFailure ??= error;
    });
    this.pending.add(write);
    void write.finally(() => this.pending.delete(write));
    return write;
  }

  async drain(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }
}

/** Stage by stage; within a stage, up to `deps.concurrency` steps at once. */
export async function runStages(run: Run): Promise<void> {
  const left = run.plan.steps.filter((step) => step.status === "change" && !run.results.has(step.key));
  const stages = [...new Set(left.map((step) => step.stage))].sort((a, b) => a - b);
  const ends = new EndsBehind(run);
  try {
    for (const stage of stages) {
      await runStage(run, left.filter((step) => step.stage === stage), ends);
      // Every end of this stage is stored before a step that depends on it starts.
      await ends.drain();
      // A step waiting out its grace period holds back every later stage (they may depend on it).
      if (run.auditFailure || paused(run) || run.waitUntil !== null) return;
    }
  } finally {
    await ends.drain();
  }
}

/**
 * One stage's steps, `deps.concurrency` at a time. Steps are claimed in order, a round (`concurrency` steps) at a
 * time: the claim decides which may start (recording the others skipped) and writes their `started` events
 * together (the store puts events asked for at once in one insert) before any of them starts; with more than one
 * at a time, the next round is claimed while this one runs. A claimed step is looked at again just before it runs: cancelled, its run's actor
 * revoked, or an earlier failure under `stop`, it is recorded skipped (after its `started` event); once the
 * chunk's time is up it still runs (its start is recorded: leaving it would cost the next chunk a re-plan). After
 * an audit write fails, nothing more is claimed and no claimed step starts.
 */
async function runStage(run: Run, steps: readonly PlanStep[], ends: EndsBehind): Promise<void> {
  const width = Math.max(1, run.deps.concurrency);
  const ready: PlanStep[] = [];
  let cursor = 0;
  let exhausted = false;
  let claiming: Promise<void> | null = null;

  async function claimNext(): Promise<void> {
    const batch: PlanStep[] = [];
    while (!exhausted && cursor < steps.length && batch.length < width && !run.auditFailure) {
      const step = steps[cursor]!;
      const reason = reasonNotToStart(run, step);
      if (reason === "pause") break;
      cursor++;
      if (reason === "wait") continue;
      if (reason) {
        void recordSkipped(run, step, reason, ends);
        continue;
      }
      batch.push(step);
      // Counted as it is claimed: a chunk always starts at least one step, however short (paused()).
      run.startedHere++;
    }
    if (cursor >= steps.length || run.auditFailure || paused(run)) exhausted = true;
    await Promise.all(batch.filter((step) => !run.startedBefore.has(step.key)).map((step) => run.deps.audit.recordStep(run.operationId, startedEvent(step))));
    ready.push(...batch);
  }
  const claim = (): Promise<void> => (claiming ??= claimNext().finally(() => (claiming = null)));

  async function worker(): Promise<void> {
    for (;;) {
      if (run.auditFailure) return;
      const step = ready.shift();
      if (step) {
        // The next round is claimed while this one runs (one step at a time: each claimed once the last ended).
        if (ready.length === 0 && !exhausted && width > 1) void claim().catch((error: unknown) => (run.auditFailure ??= error));
        const reason = reasonNotToStart(run, step, { claimed: true });
        if (reason) await recordSkipped(run, step, reason, ends);
        else await runClaimed(run, step, ends);
      } else if (!exhausted || claiming) {
        await claim();
      } else {
        return;
      }
    }
  }
  await Promise.all(
    Array.from({ length: width }, () =>
      worker().catch((error: unknown) => {
        run.auditFailure ??= error;
      }),
    ),
  );
}

function startedEvent(step: PlanStep): RecordStepInput {
  const detail = withStepCluster(step, undefined);
  return {
    sequence: step.sequence, phase: "started", action: step.action, outcome: "started", target: step.target,
    ...(step.beforeFingerprint ? { beforeFingerprint: step.beforeFingerprint } : {}), ...(detail ? { detail } : {}),
  };
}

export function paused(run: Run): boolean {
  if (run.chunk.pauseSignal?.aborted) return true;
  // The deadline counts only once this chunk has started a step (re-planning a resume may take longer than a short chunk).
  return run.startedHere > 0 && run.chunk.deadline !== undefined && Date.now() >= run.chunk.deadline;
}

/**
 * Why a step must not start (cancelled, an earlier failure under `stop`, a dependency that did not succeed), null,
 * `pause` or `wait`. A `claimed` step (its start recorded) neither pauses nor waits: it was due when claimed.
 */
function reasonNotToStart(run: Run, step: PlanStep, { claimed = false } = {}): string | "pause" | "wait" | null {
  if (run.chunk.cancelSignal?.aborted) run.cancelledBy ??= run.stored.options.actor.email;
  if (run.cancelledBy) return `Cancelled by ${run.cancelledBy} before this step started.`;
  if (run.revoked) return `Not started: ${run.revoked}.`;
  if (!claimed && paused(run)) return "pause";
  if (run.anyFailed && run.stored.options.failurePolicy === "stop") return "Not attempted: an earlier step failed and this workflow stops at the first failure.";
  const blocker = step.dependsOn.find((key) => run.results.get(key) !== "succeeded");
  if (!blocker) {
    if (claimed) return null;
    // A grace period still running: the run goes on then (onWait), not now.
    const due = graceDueAt(step, run.endedAt, Date.now());
    if (due !== null) run.waitUntil = Math.min(run.waitUntil ?? due, due);
    return due === null ? null : "wait";
  }
  const blocking = run.plan.steps.find((candidate) => candidate.key === blocker);
  return `Not attempted: step ${blocking?.sequence ?? "?"} (${blocking?.title ?? blocker}) did not succeed.`;
}

/** A claimed step (its start recorded): executed, then its end recorded behind it. */
async function runClaimed(run: Run, step: PlanStep, ends: EndsBehind): Promise<void> {
  const started = performance.now();
  const ended = await attemptStep(run, step);
  const durationMs = Math.round(performance.now() - started);
  if (!("effect" in ended)) return void recordFailed(run, step, ended, durationMs, ends);
  if (!PRODUCING_STEPS.has(step.op.type)) return void recordSucceeded(run, step, ended.effect, durationMs, ends);
  // What later steps read (an API key's id, a service ID): kept and recorded before anything else starts.
  await run.runs.saveOutputs(run.operationId, Object.fromEntries(run.state.outputs));
  await recordSucceeded(run, step, ended.effect, durationMs, ends);
  if (run.auditFailure) throw run.auditFailure;
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
        signal: run.chunk.cancelSignal,
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

function recordSkipped(run: Run, step: PlanStep, reason: string, ends: EndsBehind): Promise<void> {
  run.results.set(step.key, "skipped");
  const detail = withStepCluster(step, { reason })!;
  run.outcomes.set(step.key, { key: step.key, sequence: step.sequence, outcome: "skipped", detail });
  return ends.record({ sequence: step.sequence, phase: "finished", action: step.action, outcome: "skipped", target: step.target, detail });
}

function recordSucceeded(run: Run, step: PlanStep, ended: StepEffect, durationMs: number, ends: EndsBehind): Promise<void> {
  run.results.set(step.key, "succeeded");
  run.endedAt.set(step.key, Date.now());
  const effect = { ...ended, detail: withStepCluster(step, ended.detail) };
  run.outcomes.set(step.key, { key: step.key, sequence: step.sequence, outcome: "succeeded", ...(effect.detail ? { detail: effect.detail } : {}) });
  return ends.record({
    sequence: step.sequence, phase: "finished", action: step.action, outcome: "succeeded", target: step.target,
    beforeFingerprint: effect.beforeFingerprint ?? step.beforeFingerprint ?? undefined,
    afterFingerprint: effect.afterFingerprint ?? undefined,
    ...(effect.detail ? { detail: effect.detail } : {}),
    durationMs,
    recordedAt: run.now(),
  });
}

function recordFailed(run: Run, step: PlanStep, ended: { described: DescribedError; detail?: Record<string, unknown> }, durationMs: number, ends: EndsBehind): Promise<void> {
  run.anyFailed = true;
  const detail = withStepCluster(step, ended.detail);
  run.results.set(step.key, "failed");
  const error = { kind: ended.described.kind, message: ended.described.message };
  run.outcomes.set(step.key, { key: step.key, sequence: step.sequence, outcome: "failed", error, ...(detail ? { detail } : {}) });
  return ends.record({
    sequence: step.sequence, phase: "finished", action: step.action, outcome: "failed", target: step.target,
    error,
    ...(detail ? { detail } : {}),
    durationMs,
    recordedAt: run.now(),
  });
}
