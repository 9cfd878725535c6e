"use server";

import { createRule, listRules } from "@/lib/server/rule-service";
import { action, ActionError } from "../safe-action";
import { ruleDraftSchema } from "./rule-form";
import { refreshRulePages } from "./shared";

/** Admin (all clusters): saves a new keeping rule (audited as rules_changed) and queues its first evaluations. */
export const createRuleAction = action(
  "rules.manage",
  ruleDraftSchema,
  async ({ input, user }) => {
    if ((await listRules()).some((rule) => rule.name === input.name)) {
      throw new ActionError("Check the highlighted fields.", { name: [`a rule named ${input.name} already exists`] });
    }
    const rule = await createRule(user, input);
    refreshRulePages(rule.id);
    return { id: rule.id, name: rule.name };
  },
  { name: "rules.create" },
);
