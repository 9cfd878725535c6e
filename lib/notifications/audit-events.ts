import { RUN_OPERATION_KINDS, type AuditStore, type OperationKind } from "@/lib/audit/port";
import type { NotificationEvent, RunEndedData } from "./events";
import { KEY_LOCKED_ACTION, keysPendingDeletionEvent } from "./rotation-events";

const RUN_KINDS: ReadonlySet<OperationKind> = new Set(RUN_OPERATION_KINDS);
const NOTIFIED: ReadonlySet<string> = new Set(["failed", "partially_failed", "interrupted"]);

/**
 * The audit store with notifications taken where runs are recorded (as the
 * metrics are, lib/metrics/observed-audit.ts): a workflow run whose final
 * status is failed, partially failed or interrupted becomes a `run.failed` or
 * `run.interrupted` event once that status is written, and a rotation's locked
 * old key becomes `rotation.keys_pending_deletion`. Notifying never fails
 * the write: `notify` reports its own errors.
 */
export function notifyingAuditStore(store: AuditStore, notify: (event: NotificationEvent) => Promise<unknown>): AuditStore {
  return {
    ...store,
    async recordStep(operationId, input) {
      await store.recordStep(operationId, input);
      if (input.action === KEY_LOCKED_ACTION && input.phase === "finished" && input.outcome === "succeeded" && input.target) {
        const operation = await store.getOperation(operationId);
        const event = operation && keysPendingDeletionEvent(operation, input.target.name, (input.recordedAt ?? new Date()).toISOString());
        if (event) await notify(event);
      }
    },
    async finishOperation(operationId, input) {
      const finished = await store.finishOperation(operationId, input);
      if (RUN_KINDS.has(finished.kind as OperationKind) && NOTIFIED.has(finished.status)) {
        const data: RunEndedData = {
          operationId: finished.id,
          kind: finished.kind,
          status: finished.status as RunEndedData["status"],
          actor: finished.actor,
          cluster: finished.cluster,
          summary: finished.summary,
          counts: finished.counts,
        };
        const occurredAt = finished.finishedAt ?? new Date().toISOString();
        await notify(finished.status === "interrupted" ? { type: "run.interrupted", occurredAt, data } : { type: "run.failed", occurredAt, data });
      }
      return finished;
    },
  };
}
