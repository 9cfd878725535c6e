"use server";

import { setRulePaused } from "@/lib/server/rule-service";
import { action, ActionError } from "../safe-action";
import { ruleRefSchema } from "./rule-form";
import { assertOperatesEveryCluster, existingRule, refreshRulePages } from "./shared";

/** Operator: resumes a paused rule and queues its evaluations on every cluster it applies to. */
export const resumeRuleAction = action(
  "rules.operate",
  ruleRefSchema,
  async ({ input, user }) => {
    assertOperatesEveryCluster(user, await existingRule(input.ruleId));
    const rule = await setRulePaused(user, input.ruleId, false);
    if (!rule) throw new ActionError("That keeping rule no longer exists; reload the page.");
    refreshRulePages(rule.id);
    return { id: rule.id, paused: rule.paused };
  },
  { name: "rules.resume" },
);
