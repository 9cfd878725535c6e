import { z } from "zod";
import type { PullSecretInventory } from "@/lib/kube/port";
import { evaluateRule } from "@/lib/rules/evaluate";
import { ownedSecrets } from "@/lib/rules/ownership";
import { ruleModeSchema, ruleNameSchema, ruleSpecSchema, type KeepingRule } from "@/lib/rules/spec";
import type { ConflictDecision, RuleDrift, RuleEvaluation, RuleRemoval } from "@/lib/rules/types";
import { AccessChecker } from "./engine/access";
import type { WorkflowDeps } from "./engine/deps";
import type { Plan } from "./engine/plan";
import { PlanBuilder } from "./engine/plan-builder";
import { planAttachment } from "./shared/attach-steps";
import { InventoryIndex } from "./shared/inventory-index";
import { clusterNameSchema, namespaceNameSchema, objectNameSchema } from "./shared/schemas";

/**
 * A keeping rule's fix for one cluster, as a plan the engine applies like any
 * other (same steps, same audit, actor `rule:<name>`). The input is the rule as
 * it was when the evaluation was queued, with the decisions people made on its
 * conflicts, so a resumed run plans from the same rule.
 */
export const keepRuleInputSchema = z.object({
  ruleId: z.string().min(1).max(100),
  ruleName: ruleNameSchema,
  ruleVersion: z.number().int().min(1),
  mode: ruleModeSchema,
  cluster: clusterNameSchema,
  spec: ruleSpecSchema,
  /** False when the cluster left the rule's cluster scope: the run only removes the rule's copies there. Runs stored before this field were in scope. */
  clusterInScope: z.boolean().default(true),
  decisions: z
    .array(z.object({ namespace: namespaceNameSchema, secret: objectNameSchema, decision: z.enum(["adopt", "skip", "rename"]), renameTo: objectNameSchema.nullish() }))
    .max(5000)
    .default([]),
  /** Namespaces this run does not touch: another rule also claims them (an overlap), or a run of this rule is still changing them. */
  leaveAlone: z.array(namespaceNameSchema).max(10000).default([]),
});
export type KeepRuleInput = z.infer<typeof keepRuleInputSchema>;

export function ruleFromInput(input: KeepRuleInput): KeepingRule {
  const at = new Date(0).toISOString();
  return { id: input.ruleId, name: input.ruleName, description: "", mode: input.mode, paused: false, spec: input.spec, version: input.ruleVersion, createdBy: "", createdAt: at, updatedBy: "", updatedAt: at };
}

export function decisionsMap(decisions: KeepRuleInput["decisions"]): Map<string, ConflictDecision> {
  return new Map(decisions.map((d) => [`${d.namespace}/${d.secret}`, { ...d, renameTo: d.renameTo ?? null, decidedBy: "", decidedAt: "" }] as const));
}

/**
 * The evaluation a plan is built from: the rule on this inventory, without the
 * namespaces it must leave alone this time (another rule claims them, or a run
 * of this rule is still changing them). They stay in the rule's scope: taking
 * them out would make the rule's own copies there look out of scope.
 */
export async function evaluateForPlan(input: KeepRuleInput, inventory: PullSecretInventory, deps: Pick<WorkflowDeps, "audit">): Promise<RuleEvaluation> {
  const rule = ruleFromInput(input);
  const owned = await ownedSecrets(rule.id, inventory, deps.audit);
  const context = { owned, decisions: decisionsMap(input.decisions), otherRules: [], clusterOutOfScope: !input.clusterInScope };
  return withoutLeftAlone(evaluateRule(rule, inventory, context), input.leaveAlone);
}

function withoutLeftAlone(evaluation: RuleEvaluation, leaveAlone: readonly string[]): RuleEvaluation {
  const leave = new Set(leaveAlone);
  return { ...evaluation, drift: evaluation.drift.filter((d) => !leave.has(d.namespace)), removals: evaluation.removals.filter((r) => !leave.has(r.namespace)) };
}

/** The plan of a run started from the workflow catalog (a resumed run, a person's run): it reads the cluster and evaluates the rule. */
export async function planKeepRule(input: KeepRuleInput, deps: WorkflowDeps): Promise<Plan> {
  const inventory = await deps.kube.readPullSecretInventory(input.cluster);
  return planFromEvaluation(input, inventory, await evaluateForPlan(input, inventory, deps), deps);
}

/**
 * The plan from an evaluation already made of this rule on `inventory` (lib/rules/evaluation.ts: the evaluation that
 * found the drift), so it is not read or evaluated twice. Its conflicts may include overlaps with other rules; those
 * namespaces are in `input.leaveAlone`, so the drift planned is the same as `evaluateForPlan` finds.
 */
export async function planFromEvaluation(input: KeepRuleInput, inventory: PullSecretInventory, evaluated: RuleEvaluation, deps: WorkflowDeps): Promise<Plan> {
  const evaluation = withoutLeftAlone(evaluated, input.leaveAlone);
  const builder = new PlanBuilder();
  const index = new InventoryIndex(inventory);
  const access = new AccessChecker(deps.kube, input.cluster);
  if (evaluation.sourceProblem && evaluation.matched === 0) builder.warn({ code: "partial_read", message: evaluation.sourceProblem });
  for (const drift of evaluation.drift) await planDriftFix(builder, index, access, drift, input.spec.restartWorkloads);
  for (const removal of evaluation.removals) await planRemoval(builder, access, removal);
  for (const note of inventory.notes) builder.warn({ code: "partial_read", message: note });
  const namespaces = [...new Set([...evaluation.drift.map((d) => d.namespace), ...evaluation.removals.map((r) => r.namespace)])].sort();
  return builder.build({ kind: "keep_rule", cluster: input.cluster, input, readAt: inventory.readAt, namespaces });
}

async function planDriftFix(builder: PlanBuilder, index: InventoryIndex, access: AccessChecker, drift: RuleDrift, restartPods: boolean): Promise<void> {
  const { namespace } = drift;
  const keys: string[] = [];
  for (const copy of drift.copies) {
    const create = copy.action === "create";
    const decision = await access.check({ verb: create ? "create" : "update", resource: "secrets", namespace });
    const to = { namespace, name: copy.name };
    const key = `${create ? "secret.copy" : "secret.refresh_copy"}:${namespace}/${copy.name}`;
    const source = index.secret(copy.from.namespace, copy.from.name);
    builder.add({
      key, group: namespace, stage: 0, target: { kind: "Secret", namespace, name: copy.name },
      op: create ? { type: "secret.copy", from: copy.from, to } : { type: "secret.refresh_copy", from: copy.from, to, expectedFingerprint: copy.expectedFingerprint },
      title: create ? `Copy ${copy.from.namespace}/${copy.from.name} to ${namespace}/${copy.name}` : `Refresh ${namespace}/${copy.name} from ${copy.from.namespace}/${copy.from.name} (its key differs from the source's)`,
      ...(create ? {} : { beforeFingerprint: copy.expectedFingerprint }),
      afterFingerprint: source?.credentialFingerprint ?? null,
      status: decision.allowed ? "change" : "refused",
      ...(decision.allowed ? {} : { reason: decision.reason ?? "Not allowed." }),
    });
    keys.push(key);
  }
  const created = drift.copies.map((copy) => copy.name);
  for (const attach of drift.attach) {
    await planAttachment(builder, index, access, { namespace, serviceAccount: attach.serviceAccount, names: attach.names, createdByPlan: created, dependsOn: keys, stage: 1, restartPods });
  }
}

/** Detach a copy this rule made from the service accounts that reference it, then delete it (only with its proven provenance). */
async function planRemoval(builder: PlanBuilder, access: AccessChecker, removal: RuleRemoval): Promise<void> {
  const { namespace, secret } = removal;
  const detachKeys: string[] = [];
  for (const serviceAccount of removal.serviceAccounts) {
    const decision = await access.check({ verb: "patch", resource: "serviceaccounts", namespace });
    const key = `service_account.remove:${namespace}/${serviceAccount}/${secret}`;
    builder.add({
      key, group: "Out of scope", stage: 0, target: { kind: "ServiceAccount", namespace, name: serviceAccount },
      op: { type: "service_account.remove", namespace, serviceAccount, names: [secret] },
      title: `Detach ${secret} from ${namespace}/${serviceAccount} (the namespace is no longer in the rule's scope)`,
      status: decision.allowed ? "change" : "refused",
      ...(decision.allowed ? {} : { reason: decision.reason ?? "Not allowed." }),
    });
    detachKeys.push(key);
  }
  const kept = removal.deploymentTemplates.length
    ? `Deployment${removal.deploymentTemplates.length > 1 ? "s" : ""} ${removal.deploymentTemplates.join(", ")} name${removal.deploymentTemplates.length > 1 ? "" : "s"} it in ${removal.deploymentTemplates.length > 1 ? "their" : "its"} pod template; it is kept while they do.`
    : null;
  const decision = kept ? null : await access.check({ verb: "delete", resource: "secrets", namespace });
  builder.add({
    key: `secret.delete:${namespace}/${secret}`, group: "Out of scope", stage: 1, dependsOn: detachKeys,
    target: { kind: "Secret", namespace, name: secret },
    op: { type: "secret.delete", ref: { namespace, name: secret }, force: false, ...(removal.operationId ? { expect: { operationId: removal.operationId, fingerprint: removal.fingerprint } } : {}) },
    title: `Delete ${namespace}/${secret}, which this rule made (the namespace is no longer in its scope)`,
    beforeFingerprint: removal.fingerprint,
    ...(kept ? { status: "skip" as const, reason: kept } : decision!.allowed ? { status: "change" as const } : { status: "refused" as const, reason: decision!.reason ?? "Not allowed." }),
  });
}
