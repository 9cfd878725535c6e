import "server-only";
import { auditStore } from "@/lib/audit";
import { authConfigFromEnv } from "@/lib/auth/config";
import { resolveAuthSecret } from "@/lib/auth/secret";
import { env } from "@/lib/env";
import type { FleetRuleCounts } from "@/lib/api/fleet";
import type { StepAction } from "@/lib/audit/port";
import type { SessionUser } from "@/lib/auth/permissions";
import { visibleClusters } from "@/lib/auth/permissions";
import { getClusterScan, listClusters } from "@/lib/queries";
import { clusterLabelling } from "@/lib/clusters/labels";
import { previewBlastRadius, type BlastRadius } from "@/lib/rules/blast-radius";
import { checkPreview, previewTokenKey, signPreview, type PreviewCheck } from "@/lib/rules/preview-token";
import type { KeepingRule, RuleMode, RuleSpec } from "@/lib/rules/spec";
import type { RuleClusterStatus, RuleRevision } from "@/lib/rules/store";
import type { ConflictDecision } from "@/lib/rules/types";
import { queueRuleEvaluations } from "./rule-keeping";
import { serverRoot } from "./root";

/**
 * Keeping rules as pages and actions use them: every change recorded in the
 * audit log (kind `rules_changed`, one step) before it is reported done, and
 * followed by an evaluation of what it affects. Statuses are narrowed to the
 * clusters the user may see.
 */

export interface RuleDraft {
  name: string;
  description: string;
  mode: RuleMode;
  spec: RuleSpec;
}

async function recordRuleChange(actor: SessionUser, action: Extract<StepAction, `rule.${string}`>, rule: KeepingRule, detail: Record<string, unknown> = {}): Promise<void> {
  const store = await auditStore();
  const facts = { rule: rule.name, ruleId: rule.id, version: rule.version, mode: rule.mode, paused: rule.paused, spec: rule.spec, ...detail };
  const operation = await store.startOperation({ kind: "rules_changed", actor: actor.email, actorRole: actor.role, parameters: facts, status: "running" });
  await store.recordStep(operation.id, { sequence: 1, phase: "finished", action, outcome: "succeeded", target: { kind: "KeepingRule", name: rule.name }, detail: facts });
  const verb = action.slice("rule.".length).replace("_", " ");
  await store.finishOperation(operation.id, { status: "succeeded", summary: `${actor.email} ${verb} keeping rule ${rule.name}` });
}

export async function listRules(): Promise<KeepingRule[]> {
  return (await serverRoot().rules()).list();
}

export async function getRule(id: string): Promise<KeepingRule | null> {
  return (await serverRoot().rules()).get(id);
}

export async function ruleStatuses(user: SessionUser, ruleId?: string): Promise<RuleClusterStatus[]> {
  const statuses = await (await serverRoot().rules()).statuses(ruleId);
  const visible = new Set(visibleClusters(user, statuses.map((status) => status.cluster)));
  return statuses.filter((status) => visible.has(status.cluster));
}

export async function ruleRevisions(id: string): Promise<RuleRevision[]> {
  return (await serverRoot().rules()).revisions(id);
}

/** What the draft would change across the fleet now (from each cluster's cached scan). */
export async function blastRadius(user: SessionUser, draft: RuleDraft, id?: string): Promise<BlastRadius> {
  const rules = await serverRoot().rules();
  const existing = id ? await rules.get(id) : null;
  const at = new Date().toISOString();
  const rule: KeepingRule = { id: existing?.id ?? "draft", ...draft, paused: false, version: existing?.version ?? 0, createdBy: user.email, createdAt: at, updatedBy: user.email, updatedAt: at };
  const visible = visibleClusters(user, listClusters().map((info) => info.name));
  return previewBlastRadius(rule, {
    clusters: await clusterLabelling(await serverRoot().clusterStore(), visible),
    previouslyKept: existing ? (await rules.statuses(existing.id)).map((status) => status.cluster) : [],
    inventory: async (cluster) => {
      const scan = (await getClusterScan(cluster)).value;
      return scan.inventory ?? { error: scan.error?.message ?? scan.probe.message };
    },
    audit: await auditStore(),
    otherRules: await rules.list(),
    decisions: async (cluster) => (existing ? rules.decisions(existing.id, cluster) : []),
  });
}

let previewKey: Buffer | undefined;
const rulePreviewKey = () => (previewKey ??= previewTokenKey(resolveAuthSecret(authConfigFromEnv(env()))));

/** The token a blast-radius preview hands back: what saving these values (by this user, for this rule) must present. */
export function signRulePreview(user: SessionUser, draft: RuleDraft, ruleId: string | null, issuedAt = Date.now()): string {
  return signPreview(rulePreviewKey(), { user: user.email, ruleId, draft }, issuedAt);
}

/** Whether the values about to be saved are the ones this user previewed for this rule, recently enough. */
export function checkRulePreview(user: SessionUser, draft: RuleDraft, ruleId: string | null, token: string | undefined): PreviewCheck {
  return checkPreview(rulePreviewKey(), token, { user: user.email, ruleId, draft }, Date.now());
}

export async function createRule(user: SessionUser, draft: RuleDraft): Promise<KeepingRule> {
  const rule = await (await serverRoot().rules()).create(draft, user.email);
  await recordRuleChange(user, "rule.created", rule);
  await queueRuleEvaluations({ ruleId: rule.id });
  return rule;
}

export type RuleUpdateResult = { ok: true; rule: KeepingRule } | { ok: false; reason: "not_found" | "version_conflict" };

export async function updateRule(user: SessionUser, id: string, draft: Omit<RuleDraft, "name">, expectedVersion: number): Promise<RuleUpdateResult> {
  const updated = await (await serverRoot().rules()).update(id, draft, user.email, "updated", expectedVersion);
  if (updated === null) return { ok: false, reason: "not_found" };
  if (updated === "version_conflict") return { ok: false, reason: "version_conflict" };
  await recordRuleChange(user, "rule.updated", updated);
  await queueRuleEvaluations({ ruleId: updated.id });
  return { ok: true, rule: updated };
}

export async function setRulePaused(user: SessionUser, id: string, paused: boolean): Promise<KeepingRule | null> {
  const updated = await (await serverRoot().rules()).update(id, { paused }, user.email, paused ? "paused" : "resumed");
  if (updated === null || updated === "version_conflict") return null;
  await recordRuleChange(user, paused ? "rule.paused" : "rule.resumed", updated);
  if (!paused) await queueRuleEvaluations({ ruleId: updated.id });
  return updated;
}

export async function deleteRule(user: SessionUser, id: string): Promise<KeepingRule | null> {
  const removed = await (await serverRoot().rules()).remove(id);
  if (removed) await recordRuleChange(user, "rule.deleted", removed);
  return removed;
}

export async function decideConflict(user: SessionUser, rule: KeepingRule, cluster: string, decision: Omit<ConflictDecision, "decidedBy" | "decidedAt">): Promise<void> {
  const full: ConflictDecision = { ...decision, decidedBy: user.email, decidedAt: new Date().toISOString() };
  await (await serverRoot().rules()).decide(rule.id, cluster, full);
  await recordRuleChange(user, "rule.conflict_decided", rule, { cluster, namespace: decision.namespace, secret: decision.secret, decision: decision.decision, renameTo: decision.renameTo ?? null });
  await queueRuleEvaluations({ ruleId: rule.id, cluster });
}

/** A rule whose copies give a namespace its coverage, for the matrix's cell details. */
export interface KeepingRuleRef {
  id: string;
  name: string;
  registries: string[];
}

/** The rules whose newest evaluation on the cluster says they keep the namespace (read from their statuses, not recomputed). */
export async function rulesKeepingNamespace(user: SessionUser, cluster: string, namespace: string): Promise<KeepingRuleRef[]> {
  const statuses = (await ruleStatuses(user)).filter((status) => status.cluster === cluster && status.evaluation?.keptNamespaces.includes(namespace));
  if (statuses.length === 0) return [];
  const keeping = new Set(statuses.map((status) => status.ruleId));
  return (await listRules()).filter((rule) => keeping.has(rule.id)).map((rule) => ({ id: rule.id, name: rule.name, registries: rule.spec.registries }));
}

/** Per cluster: the active rules that apply, the namespaces they find drifting, their conflicts and their failing evaluations (the fleet page's counters). */
export async function ruleCountsByCluster(user: SessionUser): Promise<Map<string, FleetRuleCounts>> {
  const store = await serverRoot().rules();
  const active = new Set((await store.list()).filter((rule) => !rule.paused).map((rule) => rule.id));
  const counts = new Map<string, FleetRuleCounts>();
  for (const status of await ruleStatuses(user)) {
    if (!active.has(status.ruleId)) continue;
    const entry: FleetRuleCounts = counts.get(status.cluster) ?? { rules: 0, driftNamespaces: 0, conflicts: 0, errors: 0 };
    entry.rules += 1;
    entry.driftNamespaces += status.driftCount;
    entry.conflicts += status.conflictCount;
    if (status.state === "error") entry.errors += 1;
    counts.set(status.cluster, entry);
  }
  return counts;
}

/** Rows with their clusters' rule counts attached (a cluster no active rule applies to gets zeros). */
export async function withRuleCounts<Row extends { cluster: string; rules: FleetRuleCounts | null }>(user: SessionUser, rows: Row[]): Promise<Row[]> {
  const counts = await ruleCountsByCluster(user);
  return rows.map((row) => ({ ...row, rules: counts.get(row.cluster) ?? { rules: 0, driftNamespaces: 0, conflicts: 0, errors: 0 } }));
}
