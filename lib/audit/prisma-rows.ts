import type { PrismaDatabase } from "@/lib/db/client";
import { redactCredentials, redactText } from "@/lib/redaction/credential-fields";
import type { OperationRecord, OperationStatus, RecordStepInput, StepOutcome, StepRecord } from "./port";

/**
 * Between the audit tables' rows and the port's records: what is stored is
 * clipped and redacted on the way in, parsed leniently on the way out, and a
 * step's events fold into one record per sequence.
 */

type OperationRow = Awaited<ReturnType<PrismaDatabase["auditOperation"]["findFirstOrThrow"]>>;
type StepRow = Awaited<ReturnType<PrismaDatabase["auditStep"]["findFirstOrThrow"]>>;

const MAX_TEXT = 2000;

function parseJson<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** Free text is stored clipped and with any quoted credential cut out. */
export function clip(text: string | undefined | null): string | null {
  if (text === undefined || text === null) return null;
  const safe = redactText(text);
  return safe.length > MAX_TEXT ? `${safe.slice(0, MAX_TEXT)}…` : safe;
}

export function toRecord(row: OperationRow): OperationRecord {
  return {
    id: row.id,
    kind: row.kind,
    actor: row.actor,
    actorRole: row.actorRole,
    cluster: row.cluster,
    namespaces: parseJson<string[]>(row.namespaces, []),
    parameters: parseJson<Record<string, unknown>>(row.parameters, {}),
    status: row.status as OperationStatus,
    summary: row.summary,
    counts: {
      total: row.stepsTotal,
      succeeded: row.stepsSucceeded,
      failed: row.stepsFailed,
      skipped: row.stepsSkipped,
    },
    relatedOperationId: row.relatedOperationId,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt ? row.finishedAt.toISOString() : null,
  };
}

/** Folds the append-only step events into one line per step: its latest event wins. */
export function foldSteps(rows: StepRow[]): StepRecord[] {
  const bySequence = new Map<number, StepRecord>();
  const ordered = [...rows].sort((a, b) => a.sequence - b.sequence || a.id - b.id);
  for (const row of ordered) {
    const previous = bySequence.get(row.sequence);
    bySequence.set(row.sequence, {
      sequence: row.sequence,
      action: row.action,
      target: row.targetName
        ? { kind: row.targetKind ?? "object", namespace: row.targetNamespace ?? undefined, name: row.targetName }
        : (previous?.target ?? null),
      outcome: row.outcome as StepOutcome,
      error: row.errorKind ? { kind: row.errorKind, message: row.errorMessage ?? "" } : null,
      beforeFingerprint: row.beforeFingerprint ?? previous?.beforeFingerprint ?? null,
      afterFingerprint: row.afterFingerprint ?? previous?.afterFingerprint ?? null,
      detail: parseJson<Record<string, unknown> | null>(row.detail, null) ?? previous?.detail ?? null,
      durationMs: row.durationMs,
      startedAt: row.phase === "started" ? row.recordedAt.toISOString() : (previous?.startedAt ?? null),
      recordedAt: row.recordedAt.toISOString(),
    });
  }
  return [...bySequence.values()];
}

export function stepData(operationId: string, step: RecordStepInput) {
  return {
    operationId,
    sequence: step.sequence,
    phase: step.phase,
    action: step.action,
    outcome: step.outcome,
    targetKind: step.target?.kind ?? null,
    targetNamespace: step.target?.namespace ?? null,
    targetName: step.target?.name ?? null,
    errorKind: step.error?.kind ?? null,
    errorMessage: clip(step.error?.message),
    beforeFingerprint: step.beforeFingerprint ?? null,
    afterFingerprint: step.afterFingerprint ?? null,
    detail: step.detail ? JSON.stringify(redactCredentials(step.detail)) : null,
    durationMs: step.durationMs ?? null,
    recordedAt: step.recordedAt ?? new Date(),
  };
}
