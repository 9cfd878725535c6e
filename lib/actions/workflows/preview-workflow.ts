"use server";

import { serverWorkflowDeps } from "@/lib/server/context";
import { previewWorkflow, toPlanView, type WorkflowKind } from "@/lib/workflows";
import { action } from "../safe-action";
import { assertRegistryServerAllowed } from "./registry-server";
import { assertFleetScope, assertGrantWithinRole, assertUndoScope, clusterOf, validatedInput, workflowRequestSchema } from "./shared";

/** Plans a workflow from live state; records the preview in the audit log as a dry run; writes nothing else. */
export const previewWorkflowAction = action(
  "workflow.plan",
  workflowRequestSchema,
  async ({ input, user }) => {
    const workflowInput = validatedInput(input.kind, input.input);
    await assertUndoScope(input.kind, workflowInput, user, "workflow.plan");
    await assertFleetScope(input.kind, user, "workflow.plan");
    await assertGrantWithinRole(input.kind, workflowInput, user);
    const deps = await serverWorkflowDeps();
    await assertRegistryServerAllowed(input.kind, workflowInput, deps.registryRefusal);
    const plan = await previewWorkflow(input.kind as WorkflowKind, workflowInput, deps, { email: user.email, role: user.role });
    return toPlanView(plan);
  },
  { name: "workflows.preview", scope: clusterOf },
);
