import type { PullSecretInventory } from "@/lib/kube/port";
import { describeError } from "@/lib/errors";
import { applyPlan, openRun } from "@/lib/workflows/engine/apply";
import type { WorkflowDeps } from "@/lib/workflows/engine/deps";
import type { Plan } from "@/lib/workflows/engine/plan";
import { planFromEvaluation, type KeepRuleInput } from "@/lib/workflows/keep-rule";
import { evaluateRule } from "./evaluate";
import { ownedSecrets, KEEP_RULE_KIND } from "./ownership";
import { ruleActor, ruleAppliesToCluster, type KeepingRule } from "./spec";
import type { RuleClusterStatus, RuleState, RuleStore } from "./store";
import type { ConflictDecision, RuleConflict, RuleEvaluation } from "./types";

export interface RuleEvaluationDeps {
  rules: RuleStore;
  workflow: WorkflowDeps;
  /** A cluster's labels now (lib/clusters), read at every evaluation: a rule's label selector follows relabelling. */
  clusterLabels(cluster: string): Promise<Readonly<Record<string, string>>>;
  now?: () => Date;
  /** Told of every stored status (metrics, notifications of new drift and conflicts). */
  observer?: (rule: KeepingRule, status: RuleClusterStatus, previous: RuleClusterStatus | null) => void;
  /** Told of an evaluation that failed (the status shows only a safe message; the log gets the error). */
  onError?: (error: unknown, rule: KeepingRule, cluster: string) => void;
}

export type EvaluationOutcome =
  | { evaluated: false; reason: "no_rule" | "paused" | "not_in_scope" }
  /** The cluster left the rule's scope and nothing the rule made is left there: its status on the cluster is gone. */
  | { evaluated: false; reason: "left_scope" }
  | { evaluated: true; status: RuleClusterStatus; operationId: string | null };

/**
 * One evaluation of one rule on one cluster: read the cluster, compare it with
 * the rule, store the result; in enforce mode, queue the fix as a `keep_rule`
 * run (applied by the engine like any workflow, actor `rule:<name>`) unless a
 * run of this rule on this cluster is still going. Errors are stored as the
 * rule's status on the cluster, never thrown past it (the next change or
 * sweep evaluates again), except a failure to store the status itself.
 *
 * A cluster that left the rule's scope (taken off its list, or relabelled out of its selector) is treated as every
 * namespace there leaving scope: the copies the rule provably made are listed for removal (enforce removes them),
 * and once none is left the rule's status on that cluster is cleared. A cluster it never evaluated is left alone.
 */
export async function evaluateRuleOnCluster(ruleId: string, cluster: string, deps: RuleEvaluationDeps): Promise<EvaluationOutcome> {
  const rule = await deps.rules.get(ruleId);
  if (!rule) return { evaluated: false, reason: "no_rule" };
  if (rule.paused) return { evaluated: false, reason: "paused" };
  const inScope = ruleAppliesToCluster(rule.spec, { name: cluster, labels: await deps.clusterLabels(cluster) });
  const previous = (await deps.rules.statuses(rule.id)).find((status) => status.cluster === cluster) ?? null;
  if (!inScope && !previous) return { evaluated: false, reason: "not_in_scope" };
  const now = deps.now ?? (() => new Date());
  const started = now();
  let status: RuleClusterStatus;
  let operationId: string | null = null;
  try {
    const inventory = await deps.workflow.kube.readPullSecretInventory(cluster);
    const decisions = await deps.rules.decisions(rule.id, cluster);
    const evaluation = await evaluate(rule, inventory, decisions, inScope, deps);
    if (!inScope && evaluation.removals.length === 0 && !(await runStillGoing(rule, cluster, deps))) {
      await deps.rules.clearStatus(rule.id, cluster);
      return { evaluated: false, reason: "left_scope" };
    }
    const enforced = rule.mode === "enforce" ? await enforce(rule, inventory, evaluation, decisions, inScope, deps) : { operationId: null, refusals: [] };
    operationId = enforced.operationId;
    const conflicts = [...evaluation.conflicts, ...enforced.refusals];
    status = statusOf(rule, cluster, { ...evaluation, conflicts }, started, now(), operationId ?? previous?.lastOperationId ?? null);
  } catch (error) {
    deps.onError?.(error, rule, cluster);
    status = {
      ruleId: rule.id, cluster, state: "error", ruleVersion: rule.version, evaluatedAt: started.toISOString(), lastSuccessAt: previous?.lastSuccessAt ?? null,
      durationMs: now().getTime() - started.getTime(), matched: previous?.matched ?? 0, compliant: previous?.compliant ?? 0,
      driftCount: previous?.driftCount ?? 0, conflictCount: previous?.conflictCount ?? 0, removalCount: previous?.removalCount ?? 0,
      evaluation: previous?.evaluation ?? null, error: describeError(error).message, lastOperationId: previous?.lastOperationId ?? null,
    };
  }
  await deps.rules.saveStatus(status);
  deps.observer?.(rule, status, previous);
  return { evaluated: true, status, operationId };
}

async function evaluate(rule: KeepingRule, inventory: PullSecretInventory, decisions: readonly ConflictDecision[], inScope: boolean, deps: RuleEvaluationDeps): Promise<RuleEvaluation> {
  const facts = { name: inventory.cluster, labels: await deps.clusterLabels(inventory.cluster) };
  const others = (await deps.rules.list()).filter((other) => other.id !== rule.id && !other.paused && ruleAppliesToCluster(other.spec, facts));
  const owned = await ownedSecrets(rule.id, inventory, deps.workflow.audit);
  return evaluateRule(rule, inventory, { owned, decisions: new Map(decisions.map((d) => [`${d.namespace}/${d.secret}`, d])), otherRules: others, clusterOutOfScope: !inScope });
}

/** A run of the rule still changing the cluster: its status stays until the run is over and an evaluation after it finds nothing left. */
async function runStillGoing(rule: KeepingRule, cluster: string, deps: RuleEvaluationDeps): Promise<boolean> {
  const running = await deps.workflow.audit.listOperations({ cluster, kind: KEEP_RULE_KIND, status: "running", actor: ruleActor(rule).email }, { limit: 1 });
  return running.items.length > 0;
}

function statusOf(rule: KeepingRule, cluster: string, evaluation: RuleEvaluation, started: Date, ended: Date, lastOperationId: string | null): RuleClusterStatus {
  const driftCount = evaluation.drift.filter((drift) => drift.copies.length || drift.attach.length).length;
  const state: RuleState = evaluation.sourceProblem && evaluation.matched === 0 ? "error" : evaluation.conflicts.length ? "conflict" : driftCount || evaluation.removals.length ? "drift" : "ok";
  return {
    ruleId: rule.id, cluster, state, ruleVersion: rule.version, evaluatedAt: started.toISOString(), lastSuccessAt: state === "error" ? null : started.toISOString(),
    durationMs: ended.getTime() - started.getTime(), matched: evaluation.matched, compliant: evaluation.compliant,
    driftCount, conflictCount: evaluation.conflicts.length, removalCount: evaluation.removals.length,
    evaluation: { drift: evaluation.drift, conflicts: evaluation.conflicts, removals: evaluation.removals, keptNamespaces: evaluation.keptNamespaces, sourceProblem: evaluation.sourceProblem },
    error: state === "error" ? evaluation.sourceProblem : null, lastOperationId,
  };
}

/** The fix as a workflow input: the rule as it is now, its decisions, and the namespaces another rule claims. */
function keepRuleInput(rule: KeepingRule, cluster: string, evaluation: Pick<RuleEvaluation, "conflicts">, decisions: readonly ConflictDecision[], inScope: boolean): KeepRuleInput {
  return {
    ruleId: rule.id, ruleName: rule.name, ruleVersion: rule.version, mode: rule.mode, cluster, spec: rule.spec, clusterInScope: inScope,
    decisions: decisions.map(({ namespace, secret, decision, renameTo }) => ({ namespace, secret, decision, renameTo: renameTo ?? null })),
    leaveAlone: [...new Set(evaluation.conflicts.filter((conflict) => conflict.kind === "overlap").map((conflict) => conflict.namespace))].sort(),
  };
}

async function enforce(rule: KeepingRule, inventory: PullSecretInventory, evaluation: RuleEvaluation, decisions: readonly ConflictDecision[], inScope: boolean, deps: RuleEvaluationDeps): Promise<{ operationId: string | null; refusals: RuleConflict[] }> {
  const needsWork = evaluation.removals.length > 0 || evaluation.drift.some((drift) => drift.copies.length || drift.attach.length);
  if (!needsWork) return { operationId: null, refusals: [] };
  // A run of this rule still going fixes what it planned: a new run takes only the namespaces it does not touch
  // (new ones that appeared meanwhile), so a burst of namespaces is not held back by the run before it.
  const running = await deps.workflow.audit.listOperations({ cluster: inventory.cluster, kind: KEEP_RULE_KIND, status: "running", actor: ruleActor(rule).email }, { limit: 20 });
  const busy = new Set(running.items.flatMap((operation) => operation.namespaces));
  const pending = [...evaluation.drift.filter((d) => d.copies.length || d.attach.length).map((d) => d.namespace), ...evaluation.removals.map((r) => r.namespace)];
  if (running.items[0] && pending.every((namespace) => busy.has(namespace))) return { operationId: running.items[0].id, refusals: [] };
  const base = keepRuleInput(rule, inventory.cluster, evaluation, decisions, inScope);
  const input = { ...base, leaveAlone: [...new Set([...base.leaveAlone, ...busy])].sort() };
  // Plan from the inventory just read and the evaluation just made, rather than reading and evaluating again.
  const plan = await planFromEvaluation(input, inventory, evaluation, deps.workflow);
  const refusals = refusedConflicts(plan);
  if (plan.counts.change === 0) return { operationId: null, refusals };
  return { operationId: await startRuleRun(plan, rule, deps.workflow), refusals };
}

/** Steps the cluster refused (RBAC, a missing service account): conflicts a person must look at, not retried blindly. */
function refusedConflicts(plan: Plan): RuleConflict[] {
  return plan.steps
    .filter((step) => step.status === "refused")
    .map((step) => ({ namespace: step.target.namespace ?? "", kind: "forbidden" as const, ...(step.target.kind === "Secret" ? { secret: step.target.name } : { serviceAccount: step.target.name }), reason: `${step.title}: ${step.reason ?? "refused"}` }));
}

async function startRuleRun(plan: Plan, rule: KeepingRule, deps: WorkflowDeps): Promise<string> {
  const options = { actor: ruleActor(rule), failurePolicy: "continue" as const };
  if (deps.runQueue && deps.runs) {
    const operationId = await openRun(plan, deps, deps.runs, options);
    await deps.runQueue.enqueue(operationId);
    return operationId;
  }
  return (await applyPlan(plan, deps, options)).operationId;
}
