import "server-only";
import { revalidatePath } from "next/cache";
import { getRule } from "@/lib/server/rule-service";
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
 * (a rule over all clusters never is).
 */
export function assertOperatesEveryCluster(user: SessionUser, rule: KeepingRule): void {
  if (user.clusters === null) return;
  const clusters = rule.spec.clusters.mode === "all" ? ["(every cluster)"] : rule.spec.clusters.names;
  for (const cluster of clusters) assertCan(user, "rules.operate", { cluster });
}
