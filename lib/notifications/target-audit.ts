import "server-only";
import { auditStore } from "@/lib/audit";
import type { StepAction } from "@/lib/audit/port";
import type { SessionUser } from "@/lib/auth/permissions";
import type { WebhookTargetRecord } from "./records";

/**
 * Records an admin's change to a webhook target in the audit log (operation
 * kind `notifications_changed`, one step), awaited like user changes are: the
 * change is reported done only once it is recorded. Built from the target's
 * record, so neither the secret nor the URL's token can reach the log.
 */
export async function recordTargetChange(
  actor: SessionUser,
  action: Extract<StepAction, `webhook_target.${string}`>,
  target: WebhookTargetRecord,
  detail: Record<string, unknown> = {},
): Promise<void> {
  const store = await auditStore();
  const verb = action.slice("webhook_target.".length).replace("_", " ");
  const facts = { target: target.name, url: target.url, format: target.format, events: target.events, enabled: target.enabled, ...detail };
  const operation = await store.startOperation({ kind: "notifications_changed", actor: actor.email, actorRole: actor.role, parameters: facts, status: "running" });
  await store.recordStep(operation.id, {
    sequence: 1,
    phase: "finished",
    action,
    outcome: "succeeded",
    target: { kind: "WebhookTarget", name: target.name },
    detail: { targetId: target.id, ...facts },
  });
  await store.finishOperation(operation.id, { status: "succeeded", summary: `${actor.email} ${verb} webhook target ${target.name}` });
}
