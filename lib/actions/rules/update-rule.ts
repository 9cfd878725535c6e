"use server";

import { updateRule } from "@/lib/server/rule-service";
import { action, ActionError } from "../safe-action";
import { updateSchema } from "./rule-form";
import { assertPreviewed, existingRule, refreshRulePages } from "./shared";

/**
 * Admin (all clusters): saves a changed rule if nobody changed it since the
 * form was opened (`expectedVersion`); otherwise nothing is written and the
 * admin is told to reload. A rule's name is its audit actor: it never changes. Only the values whose blast
 * radius this admin just previewed for this rule are saved (the preview's token).
 */
export const updateRuleAction = action(
  "rules.manage",
  updateSchema,
  async ({ input, user }) => {
    const current = await existingRule(input.ruleId);
    assertPreviewed(user, input.draft, current.id, input.previewToken);
    const { name: _name, ...draft } = input.draft;
    const result = await updateRule(user, current.id, draft, input.expectedVersion);
    if (!result.ok && result.reason === "version_conflict") {
      throw new ActionError(`Someone changed ${current.name} since you opened it; nothing was saved. Reload the page to see their change, then make yours again.`);
    }
    if (!result.ok) throw new ActionError("That keeping rule no longer exists; reload the page.");
    refreshRulePages(current.id);
    return { id: result.rule.id, version: result.rule.version };
  },
  { name: "rules.update" },
);
