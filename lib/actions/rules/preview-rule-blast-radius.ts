"use server";

import { blastRadius } from "@/lib/server/rule-service";
import { action } from "../safe-action";
import { previewSchema } from "./rule-form";
import { existingRule } from "./shared";

/** Admin: what the form's rule would change across the fleet now (from each cluster's cached scan); nothing is written. */
export const previewRuleBlastRadiusAction = action(
  "rules.manage",
  previewSchema,
  async ({ input, user }) => {
    if (input.ruleId) await existingRule(input.ruleId);
    return blastRadius(user, input.draft, input.ruleId);
  },
  { name: "rules.preview" },
);
