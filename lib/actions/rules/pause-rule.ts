"use server";

import { setRulePaused } from "@/lib/server/rule-service";
import { action, ActionError } from "../safe-action";
import { ruleRefSchema } from "./rule-form";
import { assertOperatesEveryCluster, existingRule, refreshRulePages } from "./shared";

/** Operator: stops a rule's evaluations and fixes until it is resumed; its statuses stay as last seen. */
export const pauseRuleAction = action(
  "rules.operate",
  ruleRefSchema,
  async ({ input, user }) => {
    assertOperatesEveryCluster(user, await existingRule(input.ruleId));
    const rule = await setRulePaused(user, input.ruleId, true);
    if (!rule) throw new ActionError("That keeping rule no longer exists; reload the page.");
    refreshRulePages(rule.id);
    return { id: rule.id, paused: rule.paused };
  },
  { name: "rules.pause" },
);
