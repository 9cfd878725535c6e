import type { OperationStatus, OperationWithSteps } from "@/lib/audit/port";
import type { Plan } from "./plan";
import type { Run } from "./run-chunk";

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

/** The operation's summary in the workflow's own words; by default "n of m changes applied". */
export type Summariser = (outcome: { status: OperationStatus; steps: readonly StepOutcome[] }) => string;

/** The run's status and summary, recorded as the operation's end. */
export async function closeRun(run: Run, summarise?: Summariser): Promise<ApplyResult> {
  const attempted = run.plan.steps.filter((step) => step.status === "change");
  const succeeded = attempted.filter((step) => run.results.get(step.key) === "succeeded").length;
  const failed = attempted.filter((step) => run.results.get(step.key) === "failed").length;
  const status: Exclude<OperationStatus, "planned" | "running"> = run.cancelledBy || run.revoked
    ? "interrupted"
    : failed === 0
      ? "succeeded"
      : succeeded === 0
        ? "failed"
        : "partially_failed";
  const steps = attempted.flatMap((step) => run.outcomes.get(step.key) ?? []);
  const summary = summarise?.({ status, steps }) ?? defaultSummary(status, attempted.length, succeeded, failed, run.plan.counts.skip, run.cancelledBy, run.revoked);
  const finished = await run.deps.audit.finishOperation(run.operationId, { status, summary, finishedAt: run.now() });
  return { operationId: run.operationId, status, counts: finished.counts, summary, steps };
}

function defaultSummary(status: OperationStatus, changes: number, succeeded: number, failed: number, alreadyDone: number, cancelledBy: string | null, revoked: string | null): string {
  const done = `${succeeded} of ${changes} change${changes === 1 ? "" : "s"} applied`;
  const rest = [failed ? `${failed} failed` : null, alreadyDone ? `${alreadyDone} already in place` : null].filter(Boolean).join(", ");
  const prefix = status !== "interrupted" ? "" : cancelledBy ? `Cancelled by ${cancelledBy}: ` : `Stopped, ${revoked}: `;
  return `${prefix}${done}${rest ? `; ${rest}` : ""}.`;
}

/**
 * The result of a closed run, read back from its audit record (a run closed
 * by another chunk or replica). With the plan, only its `change` steps count,
 * keyed as planned; without it, every step that ended, keyed by sequence.
 */
export function resultFromRecord(operation: OperationWithSteps, plan: Plan | null): ApplyResult {
  const bySequence = new Map((plan?.steps ?? []).map((step) => [step.sequence, step]));
  const steps: StepOutcome[] = operation.steps.flatMap((record) => {
    const step = bySequence.get(record.sequence);
    if (plan && step?.status !== "change") return [];
    if (record.outcome !== "succeeded" && record.outcome !== "failed" && record.outcome !== "skipped") return [];
    return [{ key: step?.key ?? String(record.sequence), sequence: record.sequence, outcome: record.outcome, ...(record.error ? { error: record.error } : {}), ...(record.detail ? { detail: record.detail } : {}) }];
  });
  return { operationId: operation.id, status: operation.status, counts: operation.counts, summary: operation.summary ?? "", steps };
}
