import "server-only";
import { revalidatePath } from "next/cache";
import { checkRulePreview, getRule, type RuleDraft } from "@/lib/server/rule-service";
import { assertCan, type SessionUser } from "@/lib/auth/permissions";
import type { KeepingRule } from "@/lib/rules/spec";
import { ActionError } from "../safe-action";

/** The rule an action is about, or the refusal a stale page gets. */
export async function existingRule(id: string): Promise<KeepingRule> {
  const rule = await getRule(id);
  if (!rule) throw new ActionError("That keeping rule no longer exists; reload the page.");
  return rule;
}

/** The list and the rule's own pages show the change on their next render. */
export function refreshRulePages(id?: string): void {
  revalidatePath("/rules");
  if (id) revalidatePath(`/rules/${id}`);
}

/**
 * Pausing or resuming a rule acts on every cluster it applies to: a user
 * limited to some clusters may do it only when every one of them is theirs
 * (a rule over all clusters never is, nor one choosing clusters by label: any cluster labelled later joins it).
 */
export function assertOperatesEveryCluster(user: SessionUser, rule: KeepingRule): void {
  if (user.clusters === null) return;
  const clusters = rule.spec.clusters.mode === "list" ? rule.spec.clusters.names : ["(every cluster)"];
  for (const cluster of clusters) assertCan(user, "rules.operate", { cluster });
}

/**
 * Saving is refused unless the values sent are the ones the same user previewed (the blast radius), for this rule,
 * within the preview's freshness window: the browser offers Save only after a preview, and this holds for a direct call.
 */
export function assertPreviewed(user: SessionUser, draft: RuleDraft, ruleId: string | null, token: string | undefined): void {
  const check = checkRulePreview(user, draft, ruleId, token);
  if (check.ok) return;
  const why = {
    missing: "Preview the blast radius of these values before saving them.",
    mismatch: "These values differ from the ones whose blast radius you previewed; preview them again before saving.",
    expired: "The blast radius you previewed is more than 15 minutes old; preview it again before saving.",
  }[check.reason];
  throw new ActionError(`${why} Nothing was saved.`);
}
