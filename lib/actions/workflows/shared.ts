import "server-only";
import { z } from "zod";
import { auditStore } from "@/lib/audit";
import { recordAccessDenied } from "@/lib/auth/denials";
import { assertCan, can, type Permission, type SessionUser } from "@/lib/auth/permissions";
import { isWorkflowKind, parseWorkflowInput, type WorkflowKind } from "@/lib/workflows";
import { widerGrantReasons, type CreateScopedCredentialsInput } from "@/lib/workflows/create-scoped-credentials";
import { ActionError } from "../safe-action";

export const workflowRequestSchema = z.object({
  kind: z.string().refine(isWorkflowKind, "unknown workflow"),
  input: z.record(z.string(), z.unknown()),
});

/** The input validated by the workflow's own schema, or field errors for the form. */
export function validatedInput(kind: string, raw: unknown): unknown {
  const parsed = parseWorkflowInput(kind as WorkflowKind, raw);
  if (!parsed.ok) throw new ActionError(parsed.error, parsed.fieldErrors);
  return parsed.input;
}

/**
 * Undo names an operation, not a cluster: the cluster it may touch is the
 * operation's, so a user limited to some clusters is checked against that one.
 */
export async function assertUndoScope(kind: string, input: unknown, user: SessionUser, permission: Permission): Promise<void> {
  if (kind !== "undo") return;
  const operationId = (input as { operationId: string }).operationId;
  const operation = await (await auditStore()).getOperation(operationId);
  if (operation?.cluster) assertCan(user, permission, { cluster: operation.cluster });
  // Undoing a rotation writes secrets in every cluster the rotation wrote.
  if (operation?.kind === "rotate_api_key") await assertFleetScope(operation.kind, user, permission);
}

/**
 * A registry key is a credential that outlives the workflow: anyone but an admin
 * may mint only the narrowest (Reader on one region and one registry namespace).
 * A wider request is refused with the reason and recorded as a denial.
 */
export async function assertGrantWithinRole(kind: string, input: unknown, user: SessionUser): Promise<void> {
  if (kind !== "create_scoped_credentials" || can(user, "settings.manage")) return;
  const reasons = widerGrantReasons(input as CreateScopedCredentialsInput);
  if (reasons.length === 0) return;
  const cluster = (input as CreateScopedCredentialsInput).cluster;
  await recordAccessDenied({ user, permission: "settings.manage", cluster, target: `create_scoped_credentials: ${reasons.join(", ")}`, via: "action" });
  throw new ActionError(
    `Only an admin may grant ${reasons.join(", ")}. Choose the Reader role, one region and one registry namespace, or ask an admin.`,
  );
}

/**
 * A key rotation writes secrets in every cluster whose secrets hold the key,
 * whichever page it starts from: only a user unrestricted in clusters may plan or apply it.
 */
export async function assertFleetScope(kind: string, user: SessionUser, permission: Permission): Promise<void> {
  if (kind !== "rotate_api_key" || user.clusters === null) return;
  await recordAccessDenied({ user, permission, target: "rotate_api_key: every cluster", via: "action" });
  throw new ActionError("Rotating a key changes secrets in every cluster that holds it: it needs access to all clusters. Ask an admin.");
}

export function clusterOf(input: { input: Record<string, unknown> }): { cluster?: string } {
  return typeof input.input.cluster === "string" ? { cluster: input.input.cluster } : {};
}
