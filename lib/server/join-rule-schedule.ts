import "server-only";
import type { AuditStore } from "@/lib/audit/port";
import { evaluateJoinRules, type AccountPorts, type JoinRuleRun } from "@/lib/clusters/accounts";
import { env } from "@/lib/env";
import type { JobQueue } from "@/lib/jobs/port";
import { logger } from "@/lib/log";
import { addStep, describeRule, namesList, recordAccountAudit, ruleFacts } from "./cloud-account-audit";
import { accountPorts } from "./cluster-connections";
import { serverRoot } from "./root";

/** Who the audit log names for a scheduled run: no person acted. */
export const JOIN_RULE_SCHEDULER = "pullkeeper (join-rule schedule)";

/**
 * One run of every account's join rules: clusters IBM now lists in a rule's resource group or with its tag,
 * and not added yet, are added (each standing alone). Every rule's run is written on the rule (its "last
 * run"). The audit log gets the run when it changed something: a cluster joined or failed to, or a rule's
 * error appeared, changed or cleared; a run that found nothing new is the rule's last run only, so a
 * ten-minute schedule does not bury the log in empty entries.
 */
export async function runJoinRules(ports: AccountPorts, audit: AuditStore): Promise<{ runs: JoinRuleRun[]; operationId: string | null }> {
  const before = new Map((await ports.store.listJoinRules()).map((rule) => [rule.id, rule]));
  if (before.size === 0) return { runs: [], operationId: null };
  const runs = await evaluateJoinRules(ports);
  const worth = runs.filter((run) => run.added.length > 0 || (before.get(run.ruleId)?.lastError ?? null) !== run.error);
  if (worth.length === 0) return { runs, operationId: null };
  const joined = worth.flatMap((run) => run.added.filter((o) => o.ok).map((o) => o.name));
  const steps = worth.flatMap((run) => {
    const rule = before.get(run.ruleId);
    const facts = rule ? ruleFacts(rule) : { ruleId: run.ruleId, accountId: run.accountId };
    return [
      { action: "join_rule.evaluated" as const, outcome: run.error ? ("failed" as const) : ("succeeded" as const), target: { kind: "JoinRule", name: rule ? describeRule(rule) : run.ruleId }, detail: { ...facts, joined: run.added.filter((o) => o.ok).map((o) => o.name) }, ...(run.error ? { error: run.error } : {}) },
      ...run.added.map((o) => addStep(o, run.accountId, { joinedBy: `rule:${run.ruleId}` })),
    ];
  });
  const operationId = await recordAccountAudit(audit, { email: JOIN_RULE_SCHEDULER }, {
    kind: "join_rules_run",
    summary: `Join rules ran: ${joined.length} cluster(s) joined (${namesList(joined)})${worth.some((r) => r.error) ? "; some rules failed" : ""}`,
    parameters: { rules: worth.map((run) => run.ruleId) },
    steps,
  });
  return { runs, operationId };
}

/** The scheduled job (any replica takes a slot's run; pg-boss creates one per slot across replicas). */
export async function startJoinRuleSchedule(jobs: JobQueue): Promise<void> {
  await jobs.work("cluster-join-rules", async () => {
    const root = serverRoot();
    const [store, connections, audit] = await Promise.all([root.clusterStore(), root.clusterConnections(), root.auditStore()]);
    const { runs, operationId } = await runJoinRules(accountPorts(store, connections, root.ports()), audit);
    if (runs.length) logger.info({ rules: runs.length, joined: runs.flatMap((r) => r.added.filter((o) => o.ok).map((o) => o.name)), failed: runs.filter((r) => r.error).length, operationId }, "join rules ran");
  });
  const schedule = env().PULLKEEPER_JOIN_RULE_SCHEDULE;
  if (schedule !== "off") await jobs.schedule("cluster-join-rules", schedule);
}
