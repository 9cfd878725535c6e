import type { StepAction } from "@/lib/audit/port";

/**
 * The one place a step's audit action is named: each operation a plan can hold
 * records under exactly one past-tense action (`secret.copy` → `secret.copied`).
 * Planners name the operation only; PlanBuilder derives the action from it, so a
 * step cannot be recorded under a name that disagrees with what it does.
 *
 * The names are the audit log's stored vocabulary (lib/audit/port STEP_ACTIONS):
 * rows written by every earlier version use the same names, so they keep
 * rendering, filtering and being undone without a mapping.
 */
export const STEP_ACTION_OF = {
  "iam.ensure_service_id": "iam.service_id.created",
  "iam.ensure_policy": "iam.policy.created",
  "iam.create_api_key": "iam.api_key.created",
  "secret.create": "secret.created",
  "secret.copy": "secret.copied",
  "secret.refresh_copy": "secret.updated",
  "secret.delete": "secret.deleted",
  "service_account.add": "service_account.patched",
  "service_account.remove": "service_account.unpatched",
  "deployment.rewrite_images": "deployment.images_rewritten",
  "workload.restart": "workload.restarted",
  "workload.follow_pods": "workload.pods_followed",
  "deployment.restart": "deployment.restarted",
  "deployment.follow_pods": "deployment.pods_followed",
  "registry.verify": "registry.credential_verified",
  "iam.delete_api_key": "iam.api_key.deleted",
  "iam.lock_api_key": "iam.api_key.locked",
  "secret.rotate_key": "secret.key_rotated",
  "iam.delete_service_id": "iam.service_id.deleted",
  "iam.delete_policy": "iam.policy.deleted",
  "iam.hold_old_key": "iam.api_key.held",
  "rotation.cancel_retirement": "operation.retirement_cancelled",
  "iam.unlock_api_key": "iam.api_key.unlocked",
  "secret.restore_key": "secret.key_restored",
} as const satisfies Record<string, StepAction>;

/** An operation type of a plan step (plan.ts's StepOp indexes this table, so a new operation without an action does not compile). */
export type StepOpType = keyof typeof STEP_ACTION_OF;

/** The audit actions a workflow step can be recorded under. */
export type WorkflowStepAction = (typeof STEP_ACTION_OF)[StepOpType];

export function stepAction<T extends StepOpType>(op: { type: T }): (typeof STEP_ACTION_OF)[T] {
  return STEP_ACTION_OF[op.type];
}
