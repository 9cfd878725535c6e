import "server-only";
import { randomUUID } from "node:crypto";
import type { PrismaDatabase } from "@/lib/db/client";
import { ruleSpecSchema, type KeepingRule, type RuleMode, type RuleSpec } from "./spec";
import type { ConflictDecision, RuleEvaluation } from "./types";
import type { RuleStatusSample } from "@/lib/metrics/rule-gauges";

export type RuleChange = "created" | "updated" | "paused" | "resumed";

export interface RuleRevision {
  version: number;
  change: RuleChange;
  mode: RuleMode;
  paused: boolean;
  spec: RuleSpec;
  changedBy: string;
  changedAt: string;
}

export type RuleState = "ok" | "drift" | "conflict" | "error";

/** The newest evaluation of a rule on a cluster, as stored. */
export interface RuleClusterStatus {
  ruleId: string;
  cluster: string;
  state: RuleState;
  ruleVersion: number;
  evaluatedAt: string;
  lastSuccessAt: string | null;
  durationMs: number;
  matched: number;
  compliant: number;
  driftCount: number;
  conflictCount: number;
  removalCount: number;
  /** Null when the evaluation could not read the cluster. */
  evaluation: Pick<RuleEvaluation, "drift" | "conflicts" | "removals" | "keptNamespaces" | "sourceProblem"> | null;
  error: string | null;
  lastOperationId: string | null;
}

export interface RuleFields {
  name: string;
  description: string;
  mode: RuleMode;
  spec: RuleSpec;
}

/** Rules, their history, their newest status per cluster and the decisions on their conflicts; shared by every replica. */
export interface RuleStore {
  create(fields: RuleFields, actor: string): Promise<KeepingRule>;
  /** Throws RuleVersionConflict (via `expectedVersion`) when someone changed the rule since it was read. */
  update(id: string, fields: Partial<Pick<RuleFields, "description" | "mode" | "spec">> & { paused?: boolean }, actor: string, change: RuleChange, expectedVersion?: number): Promise<KeepingRule | "version_conflict" | null>;
  remove(id: string): Promise<KeepingRule | null>;
  get(id: string): Promise<KeepingRule | null>;
  getByName(name: string): Promise<KeepingRule | null>;
  list(): Promise<KeepingRule[]>;
  revisions(id: string): Promise<RuleRevision[]>;
  saveStatus(status: Omit<RuleClusterStatus, "lastSuccessAt">): Promise<void>;
  statuses(ruleId?: string): Promise<RuleClusterStatus[]>;
  /** Forgets the rule's status on a cluster it no longer concerns (the cluster left its scope and nothing of it is left there). */
  clearStatus(ruleId: string, cluster: string): Promise<void>;
  decide(ruleId: string, cluster: string, decision: ConflictDecision): Promise<void>;
  decisions(ruleId: string, cluster: string): Promise<ConflictDecision[]>;
}

type RuleRow = { id: string; name: string; description: string; mode: string; paused: boolean; spec: string; version: number; createdBy: string; createdAt: Date; updatedBy: string; updatedAt: Date };

function ruleRecord(row: RuleRow): KeepingRule {
  return {
    id: row.id, name: row.name, description: row.description, mode: row.mode === "enforce" ? "enforce" : "report", paused: row.paused,
    // Stored specs were validated when saved; parsing again fills defaults added since.
    spec: ruleSpecSchema.parse(JSON.parse(row.spec)), version: row.version,
    createdBy: row.createdBy, createdAt: row.createdAt.toISOString(), updatedBy: row.updatedBy, updatedAt: row.updatedAt.toISOString(),
  };
}

export function createRuleStore(prisma: PrismaDatabase): RuleStore {
  return { ...ruleRows(prisma), ...statusRows(prisma) };
}

type StatusCalls = "saveStatus" | "statuses" | "clearStatus" | "decide" | "decisions";

function ruleRows(prisma: PrismaDatabase): Omit<RuleStore, StatusCalls> {
  const revision = (rule: KeepingRule, change: RuleChange, at: Date) => ({
    id: randomUUID(), ruleId: rule.id, version: rule.version, change, mode: rule.mode, paused: rule.paused, spec: JSON.stringify(rule.spec), changedBy: rule.updatedBy, changedAt: at,
  });
  return {
    async create(fields, actor) {
      const now = new Date();
      const row = await prisma.keepingRule.create({
        data: { id: randomUUID(), name: fields.name, description: fields.description, mode: fields.mode, paused: false, spec: JSON.stringify(fields.spec), version: 1, createdBy: actor, createdAt: now, updatedBy: actor, updatedAt: now },
      });
      const rule = ruleRecord(row);
      await prisma.keepingRuleRevision.create({ data: revision(rule, "created", now) });
      return rule;
    },
    async update(id, fields, actor, change, expectedVersion) {
      const current = await prisma.keepingRule.findUnique({ where: { id } });
      if (!current) return null;
      if (expectedVersion !== undefined && current.version !== expectedVersion) return "version_conflict";
      const now = new Date();
      // Compare-and-set on the version: two admins saving at once cannot both win silently.
      const updated = await prisma.keepingRule.updateMany({
        where: { id, version: current.version },
        data: {
          ...(fields.description !== undefined ? { description: fields.description } : {}),
          ...(fields.mode !== undefined ? { mode: fields.mode } : {}),
          ...(fields.spec !== undefined ? { spec: JSON.stringify(fields.spec) } : {}),
          ...(fields.paused !== undefined ? { paused: fields.paused } : {}),
          version: current.version + 1, updatedBy: actor, updatedAt: now,
        },
      });
      if (updated.count === 0) return "version_conflict";
      const rule = ruleRecord((await prisma.keepingRule.findUnique({ where: { id } }))!);
      await prisma.keepingRuleRevision.create({ data: revision(rule, change, now) });
      return rule;
    },
    async remove(id) {
      const row = await prisma.keepingRule.findUnique({ where: { id } });
      if (!row) return null;
      await prisma.keepingRule.delete({ where: { id } });
      return ruleRecord(row);
    },
    async get(id) {
      const row = await prisma.keepingRule.findUnique({ where: { id } });
      return row ? ruleRecord(row) : null;
    },
    async getByName(name) {
      const row = await prisma.keepingRule.findUnique({ where: { name } });
      return row ? ruleRecord(row) : null;
    },
    async list() {
      return (await prisma.keepingRule.findMany({ orderBy: { name: "asc" } })).map(ruleRecord);
    },
    async revisions(id) {
      const rows = await prisma.keepingRuleRevision.findMany({ where: { ruleId: id }, orderBy: [{ version: "desc" }, { changedAt: "desc" }] });
      return rows.map((row) => ({
        version: row.version, change: row.change as RuleChange, mode: row.mode as RuleMode, paused: row.paused,
        spec: ruleSpecSchema.parse(JSON.parse(row.spec)), changedBy: row.changedBy, changedAt: row.changedAt.toISOString(),
      }));
    },
  };
}

function statusRows(prisma: PrismaDatabase): Pick<RuleStore, StatusCalls> {
  return {
    async saveStatus(status) {
      const evaluatedAt = new Date(status.evaluatedAt);
      const data = {
        state: status.state, ruleVersion: status.ruleVersion, evaluatedAt, durationMs: Math.round(status.durationMs),
        matched: status.matched, compliant: status.compliant, driftCount: status.driftCount, conflictCount: status.conflictCount, removalCount: status.removalCount,
        detail: JSON.stringify(status.evaluation), error: status.error, lastOperationId: status.lastOperationId,
        ...(status.state !== "error" ? { lastSuccessAt: evaluatedAt } : {}),
      };
      try {
        await prisma.keepingRuleStatus.upsert({ where: { ruleId_cluster: { ruleId: status.ruleId, cluster: status.cluster } }, create: { ruleId: status.ruleId, cluster: status.cluster, ...data }, update: data });
      } catch (error) {
        // The rule was deleted while it was evaluated: its status goes with it.
        if (await prisma.keepingRule.findUnique({ where: { id: status.ruleId } })) throw error;
      }
    },
    async statuses(ruleId) {
      const rows = await prisma.keepingRuleStatus.findMany({ where: ruleId ? { ruleId } : {}, orderBy: [{ ruleId: "asc" }, { cluster: "asc" }] });
      return rows.map((row) => ({
        ruleId: row.ruleId, cluster: row.cluster, state: row.state as RuleState, ruleVersion: row.ruleVersion, evaluatedAt: row.evaluatedAt.toISOString(),
        lastSuccessAt: row.lastSuccessAt?.toISOString() ?? null, durationMs: row.durationMs, matched: row.matched, compliant: row.compliant,
        driftCount: row.driftCount, conflictCount: row.conflictCount, removalCount: row.removalCount,
        evaluation: JSON.parse(row.detail) as RuleClusterStatus["evaluation"], error: row.error, lastOperationId: row.lastOperationId,
      }));
    },
    async clearStatus(ruleId, cluster) {
      await prisma.keepingRuleStatus.deleteMany({ where: { ruleId, cluster } });
    },
    async decide(ruleId, cluster, decision) {
      const data = { decision: decision.decision, renameTo: decision.renameTo ?? null, decidedBy: decision.decidedBy, decidedAt: new Date(decision.decidedAt) };
      await prisma.keepingRuleDecision.upsert({
        where: { ruleId_cluster_namespace_secret: { ruleId, cluster, namespace: decision.namespace, secret: decision.secret } },
        create: { ruleId, cluster, namespace: decision.namespace, secret: decision.secret, ...data },
        update: data,
      });
    },
    async decisions(ruleId, cluster) {
      const rows = await prisma.keepingRuleDecision.findMany({ where: { ruleId, cluster } });
      return rows.map((row) => ({ namespace: row.namespace, secret: row.secret, decision: row.decision as ConflictDecision["decision"], renameTo: row.renameTo, decidedBy: row.decidedBy, decidedAt: row.decidedAt.toISOString() }));
    },
  };
}

/** Every rule's newest status per cluster, for the metrics (paused rules keep their last status, labelled with their mode). */
export async function ruleStatusSamples(store: RuleStore): Promise<RuleStatusSample[]> {
  const rules = new Map((await store.list()).map((rule) => [rule.id, rule] as const));
  return (await store.statuses()).flatMap((status) => {
    const rule = rules.get(status.ruleId);
    if (!rule) return [];
    return [{
      rule: rule.name, cluster: status.cluster, mode: rule.paused ? "paused" : rule.mode, state: status.state,
      driftNamespaces: status.driftCount, conflicts: status.conflictCount, removals: status.removalCount,
      lastSuccessSeconds: status.lastSuccessAt ? Math.floor(new Date(status.lastSuccessAt).getTime() / 1000) : null,
    }];
  });
}
