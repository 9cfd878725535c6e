"use server";

import { z } from "zod";
import { auditStore } from "@/lib/audit";
import { mayView } from "@/lib/audit/visibility";
import { recordRunCancelled } from "@/lib/auth/access-audit";
import { assertCan } from "@/lib/auth/permissions";
import { cancelRun, isRunning } from "@/lib/server/running-operations";
import { action, ActionError } from "../safe-action";

/** Stops a running workflow before its next step; the step in flight finishes and is recorded. */
export const cancelOperationAction = action(
  "workflow.apply",
  z.object({ operationId: z.string().uuid() }),
  async ({ input, user }) => {
    const operation = await (await auditStore()).getOperation(input.operationId);
    if (!operation || !mayView(user, operation)) throw new ActionError("That operation is not in the audit log.");
    if (operation.cluster) assertCan(user, "workflow.apply", { cluster: operation.cluster });
    if (operation.status !== "running") throw new ActionError(`The operation is already ${operation.status.replace("_", " ")}.`);
    if (!isRunning(input.operationId)) throw new ActionError("This run belongs to another Pullkeeper server process and cannot be cancelled from here.");
    // Who stopped it is on record before it stops.
    await recordRunCancelled(user, operation);
    cancelRun(input.operationId);
    return { operationId: input.operationId, cancelledBy: user.email };
  },
  { name: "workflows.cancel" },
);
