import "server-only";
import { auditStore } from "@/lib/audit";
import type { StepAction } from "@/lib/audit/port";
import type { SessionUser } from "./permissions";

/**
 * Records an admin's change to a user in the audit log (operation kind
 * `users_changed`, one step), awaited: the change is reported done only once
 * it is recorded. Never records a password, only that one was set.
 */
export async function recordUserChange(
  actor: SessionUser,
  action: Extract<StepAction, `user.${string}`>,
  target: { id: string; email: string },
  detail: Record<string, unknown> = {},
): Promise<void> {
  const store = await auditStore();
  const summary = `${actor.email} ${action.slice("user.".length).replace("_", " ")} ${target.email}`;
  const operation = await store.startOperation({
    kind: "users_changed",
    actor: actor.email,
    actorRole: actor.role,
    parameters: { user: target.email, ...detail },
    status: "running",
  });
  await store.recordStep(operation.id, {
    sequence: 1,
    phase: "finished",
    action,
    outcome: "succeeded",
    target: { kind: "User", name: target.email },
    detail: { userId: target.id, ...detail },
  });
  await store.finishOperation(operation.id, { status: "succeeded", summary });
}
