import "server-only";
import type { AuditStore, OperationStatus, StepAction, StepOutcome, StepTarget } from "@/lib/audit/port";
import type { AddOutcome } from "@/lib/clusters/accounts";
import type { AccountJoinRuleRecord, CloudAccountRecord } from "@/lib/clusters/types";

/**
 * The audit record of a change to IBM Cloud accounts, their clusters and join rules: one operation with a
 * step per thing changed, awaited (the change is reported done only once recorded). Every fact is taken
 * from a record that has no field for a credential, so no API key or token can reach the log.
 */

export interface AuditActor {
  email: string;
  role?: string;
}

export interface AccountAuditStep {
  action: Extract<StepAction, `cloud_account.${string}` | `cloud_cluster.${string}` | `join_rule.${string}`>;
  outcome: Extract<StepOutcome, "succeeded" | "failed">;
  target: StepTarget;
  detail: Record<string, unknown>;
  error?: string;
}

export async function recordAccountAudit(
  audit: AuditStore,
  actor: AuditActor,
  input: { kind: "cloud_accounts_changed" | "join_rules_run"; summary: string; parameters: Record<string, unknown>; steps: AccountAuditStep[] },
): Promise<string> {
  const operation = await audit.startOperation({ kind: input.kind, actor: actor.email, ...(actor.role ? { actorRole: actor.role } : {}), parameters: input.parameters, status: "running" });
  let sequence = 0;
  for (const step of input.steps) {
    sequence += 1;
    await audit.recordStep(operation.id, {
      sequence,
      phase: "finished",
      action: step.action,
      outcome: step.outcome,
      target: step.target,
      detail: step.detail,
      ...(step.error ? { error: { kind: "refused", message: step.error } } : {}),
    });
  }
  const failed = input.steps.filter((s) => s.outcome === "failed").length;
  const status: Exclude<OperationStatus, "planned" | "running"> = failed === 0 ? "succeeded" : failed === input.steps.length ? "failed" : "partially_failed";
  await audit.finishOperation(operation.id, { status, summary: input.summary });
  return operation.id;
}

/** What the log keeps of an account: whose key it is, never the key. */
export function accountFacts(account: CloudAccountRecord): Record<string, unknown> {
  return {
    accountId: account.id,
    displayName: account.displayName,
    ibmAccountId: account.ibmAccountId,
    apiKeyId: account.apiKeyId,
    apiKeyName: account.apiKeyName,
    ownerIamId: account.ownerIamId,
    ownerKind: account.ownerKind,
    ownerName: account.ownerName,
  };
}

export function describeRule(rule: Pick<AccountJoinRuleRecord, "resourceGroup" | "tag" | "endpoint">): string {
  const parts = [rule.resourceGroup ? `resource group ${rule.resourceGroup}` : null, rule.tag ? `tag ${rule.tag}` : null].filter(Boolean);
  return `every cluster with ${parts.join(" and ")} (${rule.endpoint} endpoint)`;
}

export function ruleFacts(rule: AccountJoinRuleRecord): Record<string, unknown> {
  return { ruleId: rule.id, accountId: rule.accountId, resourceGroup: rule.resourceGroup, tag: rule.tag, endpoint: rule.endpoint };
}

export function addStep(outcome: AddOutcome, accountId: string, extra: Record<string, unknown> = {}): AccountAuditStep {
  return {
    action: "cloud_cluster.added",
    outcome: outcome.ok ? "succeeded" : "failed",
    target: { kind: "Cluster", name: outcome.name },
    detail: { accountId, iksClusterId: outcome.iksClusterId, ...extra, ...(outcome.ok ? {} : { problem: outcome.problem }) },
    ...(outcome.ok ? {} : { error: outcome.error }),
  };
}

/** "a, b and 3 more" */
export function namesList(names: string[], max = 5): string {
  if (names.length === 0) return "none";
  const shown = names.slice(0, max).join(", ");
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}
