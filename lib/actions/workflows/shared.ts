import "server-only";
import { z } from "zod";
import { auditStore } from "@/lib/audit";
import { assertCan, type Permission, type SessionUser } from "@/lib/auth/permissions";
import { isWorkflowKind, parseWorkflowInput, type WorkflowKind } from "@/lib/workflows";
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
}

export function clusterOf(input: { input: Record<string, unknown> }): { cluster?: string } {
  return typeof input.input.cluster === "string" ? { cluster: input.input.cluster } : {};
}
