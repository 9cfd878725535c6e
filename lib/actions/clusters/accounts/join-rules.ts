"use server";

import { z } from "zod";
import { createJoinRule, deleteJoinRule } from "@/lib/server/cloud-accounts";
import { action } from "../../safe-action";
import { accountIdSchema, endpointSchema, refreshAccountPages } from "./shared";

/** IBM's resource group names and ids, and tags (`env:prod`): no spaces at the ends, nothing empty. */
const optionalText = (what: string) =>
  z
    .string()
    .trim()
    .max(128, `A ${what} is at most 128 characters.`)
    .optional()
    .transform((value) => (value ? value : null));

const joinRuleSchema = z
  .object({ accountId: accountIdSchema, resourceGroup: optionalText("resource group"), tag: optionalText("tag"), endpoint: endpointSchema })
  .refine((rule) => rule.resourceGroup !== null || rule.tag !== null, { message: "Give a resource group, a tag, or both.", path: ["resourceGroup"] });

/**
 * Admin: every cluster of the account in a resource group and/or with a tag joins by itself. Evaluated at
 * once (what joined is returned) and then on the join-rule schedule; audited as `join_rule.created`.
 */
export const createJoinRuleAction = action(
  "settings.manage",
  joinRuleSchema,
  async ({ input, user }) => {
    const result = await createJoinRule(user, input);
    refreshAccountPages();
    return { ruleId: result.rule.id, joined: result.joined, failed: result.failed.map((f) => ({ name: f.name, error: "error" in f ? f.error : "", advice: f.advice })) };
  },
  { name: "clusters.create_join_rule" },
);

/** Admin: removes a join rule (the clusters it added stay); audited as `join_rule.deleted`. */
export const deleteJoinRuleAction = action(
  "settings.manage",
  z.object({ ruleId: z.string().trim().uuid("Choose a join rule.") }),
  async ({ input, user }) => {
    await deleteJoinRule(user, input.ruleId);
    refreshAccountPages();
    return { ruleId: input.ruleId };
  },
  { name: "clusters.delete_join_rule" },
);
