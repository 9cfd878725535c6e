"use server";

import { createRule, listRules } from "@/lib/server/rule-service";
import { action, ActionError } from "../safe-action";
import { createSchema } from "./rule-form";
import { assertPreviewed, refreshRulePages } from "./shared";

/**
 * Admin (all clusters): saves a new keeping rule (audited as rules_changed) and queues its first evaluations;
 * only the values whose blast radius this admin just previewed (the preview's token), otherwise nothing is saved.
 */
export const createRuleAction = action(
  "rules.manage",
  createSchema,
  async ({ input, user }) => {
    if ((await listRules()).some((rule) => rule.name === input.draft.name)) {
      throw new ActionError("Check the highlighted fields.", { name: [`a rule named ${input.draft.name} already exists`] });
    }
    assertPreviewed(user, input.draft, null, input.previewToken);
    const rule = await createRule(user, input.draft);
    refreshRulePages(rule.id);
    return { id: rule.id, name: rule.name };
  },
  { name: "rules.create" },
);
