"use server";

import { z } from "zod";
import { decideConflict, ruleStatuses } from "@/lib/server/rule-service";
import { clusterNameSchema, namespaceNameSchema, objectNameSchema } from "@/lib/workflows/shared/schemas";
import { action, ActionError } from "../safe-action";
import { existingRule, refreshRulePages } from "./shared";

const decisionSchema = z
  .object({
    ruleId: z.string().trim().min(1, "a rule is required").max(100),
    cluster: clusterNameSchema,
    namespace: namespaceNameSchema,
    secret: objectNameSchema,
    decision: z.enum(["adopt", "skip", "rename"], { error: "choose adopt, skip or another name" }),
    renameTo: z.string().trim().max(253).optional(),
  })
  .superRefine((input, context) => {
    if (input.decision !== "rename") return;
    const name = objectNameSchema.safeParse(input.renameTo ?? "");
    if (!name.success) context.addIssue({ code: "custom", path: ["renameTo"], message: name.error.issues[0]?.message ?? "type the name to use instead" });
    else if (name.data === input.secret) context.addIssue({ code: "custom", path: ["renameTo"], message: "choose a name other than the one in conflict" });
  });

/**
 * Operator with the cluster in scope: answers a same-name secret conflict the
 * rule's newest evaluation lists (adopt it, skip the namespace, or use another
 * name there); the rule is evaluated again on that cluster.
 */
export const decideRuleConflictAction = action(
  "rules.operate",
  decisionSchema,
  async ({ input, user }) => {
    const rule = await existingRule(input.ruleId);
    const status = (await ruleStatuses(user, rule.id)).find((candidate) => candidate.cluster === input.cluster);
    const listed = status?.evaluation?.conflicts.some((conflict) => conflict.namespace === input.namespace && conflict.secret === input.secret);
    if (!listed) throw new ActionError("That conflict is no longer listed (it may have been decided or resolved); reload the page.");
    const renameTo = input.decision === "rename" ? (input.renameTo ?? null) : null;
    await decideConflict(user, rule, input.cluster, { namespace: input.namespace, secret: input.secret, decision: input.decision, renameTo });
    refreshRulePages(rule.id);
    return { decision: input.decision };
  },
  { name: "rules.decide_conflict" },
);
