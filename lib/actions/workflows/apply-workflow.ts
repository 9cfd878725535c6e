"use server";

import { z } from "zod";
import { logger } from "@/lib/log";
import { serverWorkflowDeps } from "@/lib/server/context";
import { takingRuns } from "@/lib/server/running-operations";
import { startWorkflow, toPlanView, type PlanView, type WorkflowKind } from "@/lib/workflows";
import { action, ActionError } from "../safe-action";
import { assertRegistryServerAllowed } from "./registry-server";
import { assertFleetScope, assertGrantWithinRole, assertUndoScope, clusterOf, validatedInput, workflowRequestSchema } from "./shared";

export type ApplyWorkflowResult = { started: true; operationId: string } | { started: false; message: string; plan: PlanView };

/**
 * Applies the previewed plan (refused when the cluster moved away from it, see
 * startWorkflow): records the operation and queues it as a job, which any
 * replica runs (lib/server/job-workers.ts); the browser follows it through
 * /api/operations/<id>.
 */
export const applyWorkflowAction = action(
  "workflow.apply",
  workflowRequestSchema.extend({ digest: z.string().regex(/^[0-9a-f]{16}$/, "preview the workflow first") }),
  async ({ input, user }): Promise<ApplyWorkflowResult> => {
    const workflowInput = validatedInput(input.kind, input.input);
    await assertUndoScope(input.kind, workflowInput, user, "workflow.apply");
    await assertFleetScope(input.kind, user, "workflow.apply");
    await assertGrantWithinRole(input.kind, workflowInput, user);
    if (!takingRuns()) throw new ActionError("Pullkeeper is restarting and takes no new runs; apply again in a moment.");
    const deps = await serverWorkflowDeps();
    await assertRegistryServerAllowed(input.kind, workflowInput, deps.registryRefusal);
    const result = await startWorkflow(input.kind as WorkflowKind, workflowInput, input.digest, deps, { email: user.email, role: user.role });
    if (!result.ok) return { started: false, message: result.message, plan: toPlanView(result.plan) };
    logger.info({ operationId: result.operationId, kind: input.kind, actor: user.email }, "workflow run queued");
    return { started: true, operationId: result.operationId };
  },
  { name: "workflows.apply", scope: clusterOf },
);
