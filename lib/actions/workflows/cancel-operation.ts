"use server";

import { z } from "zod";
import { auditStore } from "@/lib/audit";
import { mayView } from "@/lib/audit/visibility";
import { recordRunCancelled } from "@/lib/auth/access-audit";
import { assertCan } from "@/lib/auth/permissions";
import { serverRoot } from "@/lib/server/root";
import { action, ActionError } from "../safe-action";

/** Stops a running workflow before its next step, from any replica; the steps in flight finish and are recorded. */
export const cancelOperationAction = action(
  "workflow.apply",
  z.object({ operationId: z.string().uuid() }),
  async ({ input, user }) => {
    const operation = await (await auditStore()).getOperation(input.operationId);
    if (!operation || !mayView(user, operation)) throw new ActionError("That operation is not in the audit log.");
    if (operation.cluster) assertCan(user, "workflow.apply", { cluster: operation.cluster });
    if (operation.status !== "running") throw new ActionError(`The operation is already ${operation.status.replace("_", " ")}.`);
    const runs = await serverRoot().runStates();
    // Who stopped it is on record before it stops.
    await recordRunCancelled(user, operation);
    // Whichever replica runs it reads this before its next step (within about a second).
    if (!(await runs.requestCancel(input.operationId, user.email))) throw new ActionError("This run has just finished; there is nothing left to cancel.");
    return { operationId: input.operationId, cancelledBy: user.email };
  },
  { name: "workflows.cancel" },
);
