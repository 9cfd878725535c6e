"use server";

import { z } from "zod";
import { logger } from "@/lib/log";
import { serverWorkflowDeps } from "@/lib/server/context";
import { finishRun, registerRun, takingRuns } from "@/lib/server/running-operations";
import { invalidateCluster } from "@/lib/queries";
import { startWorkflow, toPlanView, type PlanView, type WorkflowKind } from "@/lib/workflows";
import { action, ActionError } from "../safe-action";
import { assertRegistryServerAllowed } from "./registry-server";
import { assertGrantWithinRole, assertUndoScope, clusterOf, validatedInput, workflowRequestSchema } from "./shared";

export type ApplyWorkflowResult = { started: true; operationId: string } | { started: false; message: string; plan: PlanView };

/**
 * Applies the previewed plan (refused when the cluster moved away from it, see
 * startWorkflow): records the operation and runs it in the background; the
 * browser follows it through /api/operations/<id>.
 */
export const applyWorkflowAction = action(
  "workflow.apply",
  workflowRequestSchema.extend({ digest: z.string().regex(/^[0-9a-f]{16}$/, "preview the workflow first") }),
  async ({ input, user }): Promise<ApplyWorkflowResult> => {
    const workflowInput = validatedInput(input.kind, input.input);
    await assertUndoScope(input.kind, workflowInput, user, "workflow.apply");
    await assertGrantWithinRole(input.kind, workflowInput, user);
    if (!takingRuns()) throw new ActionError("Pullkeeper is restarting and takes no new runs; apply again in a moment.");
    const deps = await serverWorkflowDeps();
    await assertRegistryServerAllowed(input.kind, workflowInput, deps.registryRefusal);
    const controller = new AbortController();
    const result = await startWorkflow(input.kind as WorkflowKind, workflowInput, input.digest, deps, { email: user.email, role: user.role }, { signal: controller.signal });
    if (!result.ok) return { started: false, message: result.message, plan: toPlanView(result.plan) };
    registerRun(result.operationId, controller);
    result.done
      .then((outcome) => logger.info({ operationId: outcome.operationId, status: outcome.status, actor: user.email }, "workflow finished"))
      .catch((error: unknown) => logger.error({ operationId: result.operationId, err: error instanceof Error ? error.message : "unknown" }, "workflow run failed"))
      .finally(() => {
        finishRun(result.operationId);
        // Pages show cached scans: the next one must see what this run changed.
        invalidateCluster(result.cluster);
      });
    return { started: true, operationId: result.operationId };
  },
  { name: "workflows.apply", scope: clusterOf },
);
