"use server";

import { redirect } from "next/navigation";
import { deleteRule } from "@/lib/server/rule-service";
import { action, ActionError } from "../safe-action";
import { ruleRefSchema } from "./rule-form";
import { refreshRulePages } from "./shared";

/**
 * Admin (all clusters): deletes a rule and its statuses. The copies it made
 * stay where they are (deleting is not a scope change); the audit log keeps
 * its runs. Back to the list afterwards.
 */
export const deleteRuleAction = action(
  "rules.manage",
  ruleRefSchema,
  async ({ input, user }) => {
    const removed = await deleteRule(user, input.ruleId);
    if (!removed) throw new ActionError("That keeping rule no longer exists; reload the page.");
    refreshRulePages();
    redirect("/rules");
  },
  { name: "rules.delete" },
);
