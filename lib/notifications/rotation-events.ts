import type { OperationWithSteps } from "@/lib/audit/port";
import type { NotificationEvent } from "./events";

/** The audit action of a rotation's lock step (lib/workflows/engine/step-actions.ts). */
export const KEY_LOCKED_ACTION = "iam.api_key.locked";

/**
 * `rotation.keys_pending_deletion` for a rotation whose old key was just
 * locked: when it will be deleted (the lock plus the operator's grace), which
 * service ID it belonged to, and the key by id, name and fingerprint where the
 * run knows it — never the key. Null for anything else (another kind, no grace:
 * a key deleted at once is not "about to be" deleted).
 */
export function keysPendingDeletionEvent(operation: OperationWithSteps, lockedKeyId: string, lockedAt: string): NotificationEvent | null {
  if (operation.kind !== "rotate_api_key") return null;
  const grace = Number(operation.parameters.graceSeconds ?? 0);
  if (!Number.isFinite(grace) || grace <= 0) return null;
  const minted = operation.steps.find((step) => step.action === "iam.api_key.created" && step.outcome === "succeeded")?.detail ?? {};
  const locked = operation.steps.find((step) => step.action === KEY_LOCKED_ACTION && step.target?.name === lockedKeyId)?.detail ?? {};
  const serviceId = typeof minted.serviceIamId === "string" ? minted.serviceIamId : "unknown";
  return {
    type: "rotation.keys_pending_deletion",
    occurredAt: lockedAt,
    data: {
      serviceId,
      serviceIdName: null,
      deleteAt: new Date(Date.parse(lockedAt) + grace * 1000).toISOString(),
      keys: [{ keyId: lockedKeyId, name: typeof locked.name === "string" ? locked.name : null, fingerprint: null }],
      stillReferencedBy: [],
    },
  };
}
