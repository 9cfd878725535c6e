"use server";

import { blastRadius, signRulePreview } from "@/lib/server/rule-service";
import { action } from "../safe-action";
import { previewSchema } from "./rule-form";
import { existingRule } from "./shared";

/**
 * Admin: what the form's rule would change across the fleet now (from each cluster's cached scan); nothing is written.
 * The token it returns lets this admin save exactly these values for a while (lib/rules/preview-token.ts).
 */
export const previewRuleBlastRadiusAction = action(
  "rules.manage",
  previewSchema,
  async ({ input, user }) => {
    if (input.ruleId) await existingRule(input.ruleId);
    const radius = await blastRadius(user, input.draft, input.ruleId);
    return { radius, previewToken: signRulePreview(user, input.draft, input.ruleId ?? null) };
  },
  { name: "rules.preview" },
);
