import type { OperationWithSteps, StepRecord } from "@/lib/audit/port";
import type { OperationProgressView } from "@/lib/api/operation";
import { apiKeysLeftBehind } from "@/lib/workflows/shared/api-key-ledger";

/** Why a step was skipped or refused, from its recorded detail; null when it says nothing. */
export function stepReason(step: Pick<StepRecord, "detail">): string | null {
  const reason = step.detail?.reason;
  return typeof reason === "string" && reason !== "" ? reason : null;
}

/** Pure: an operation as `GET /api/operations/{id}` answers it (no credential: names, outcomes, reasons, fingerprints). */
export function operationProgress(operation: OperationWithSteps, cancellable: boolean): OperationProgressView {
  return {
    id: operation.id,
    kind: operation.kind,
    status: operation.status,
    summary: operation.summary,
    counts: operation.counts,
    cancellable,
    steps: operation.steps.map((step) => ({
      sequence: step.sequence,
      action: step.action,
      target: step.target,
      outcome: step.outcome,
      error: step.error,
      reason: stepReason(step),
      durationMs: step.durationMs,
    })),
    apiKeysLeftBehind: apiKeysLeftBehind(operation).map(({ apiKeyId, name, fingerprint }) => ({ apiKeyId, name, fingerprint })),
  };
}
