import "server-only";
import { randomUUID } from "node:crypto";
import type { PrismaDatabase } from "@/lib/db/client";
import type { DatabaseProvider } from "@/lib/db/database-url";
import { isPullkeeperError } from "@/lib/errors";
import { FOREIGN_KEY_VIOLATION, prismaErrorCode, UNIQUE_VIOLATION } from "@/lib/db/errors";
import { redactCredentials } from "@/lib/redaction/credential-fields";
import { decodeCursor, encodeCursor } from "./cursor";
import { csvRow } from "./csv";
import { clip, foldSteps, stepData, toRecord } from "./prisma-rows";
import {
  AuditError,
  NEXT_STATUSES,
  OPERATION_STATUSES,
  type AuditStore,
  type ExportFormat,
  type OperationFilter,
  type OperationPage,
  type OperationStatus,
  type OperationWithSteps,
  type StepOutcome,
} from "./port";


const MAX_PAGE = 200;
const EXPORT_BATCH = 500;

export function createPrismaAuditStore(prisma: PrismaDatabase, provider: DatabaseProvider): AuditStore {
  const contains = (value: string) =>
    provider === "postgresql" ? { contains: value, mode: "insensitive" as const } : { contains: value };

  function where(filter: OperationFilter) {
    const conditions: Record<string, unknown>[] = [];
    if (filter.cluster) conditions.push({ cluster: filter.cluster });
    if (filter.clusters) conditions.push({ cluster: { in: filter.clusters } });
    if (filter.kind) conditions.push({ kind: filter.kind });
    if (filter.status) conditions.push({ status: filter.status });
    if (filter.actor) conditions.push({ actor: filter.actor });
    if (filter.namespace) conditions.push({ namespaceLinks: { some: { namespace: filter.namespace } } });
    if (filter.from) conditions.push({ startedAt: { gte: filter.from } });
    if (filter.to) conditions.push({ startedAt: { lte: filter.to } });
    const text = filter.text?.trim();
    if (text) {
      conditions.push({
        OR: ["id", "kind", "actor", "cluster", "namespaces", "summary"].map((field) => ({ [field]: contains(text) })),
      });
    }
    return conditions.length ? { AND: conditions } : {};
  }

  async function page(filter: OperationFilter, limit: number, cursor?: string | null): Promise<OperationPage> {
    const take = Math.max(1, Math.min(MAX_PAGE, Math.floor(limit)));
    const position = cursor ? decodeCursor(cursor) : null;
    if (cursor && !position) throw new AuditError("invalid", "The page cursor is not valid; start again from the first page.");
    const base = where(filter);
    const after = position
      ? {
          OR: [
            { startedAt: { lt: position.startedAt } },
            { startedAt: position.startedAt, id: { lt: position.id } },
          ],
        }
      : null;
    const rows = await prisma.auditOperation.findMany({
      where: after ? { AND: [base, after] } : base,
      orderBy: [{ startedAt: "desc" }, { id: "desc" }],
      take: take + 1,
    });
    const items = rows.slice(0, take);
    const last = items[items.length - 1];
    return {
      items: items.map(toRecord),
      nextCursor: rows.length > take && last ? encodeCursor({ startedAt: last.startedAt, id: last.id }) : null,
    };
  }

  async function write<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (isPullkeeperError(error, "audit")) throw error;
      const code = prismaErrorCode(error);
      if (code === UNIQUE_VIOLATION) throw new AuditError("invalid", `${what}: this event was already recorded.`);
      if (code === FOREIGN_KEY_VIOLATION) throw new AuditError("not_found", `${what}: the operation does not exist.`);
      throw new AuditError("unavailable", `${what}: the audit store could not be written, so nothing was done.`);
    }
  }

  return {
    startOperation(input) {
      return write("Starting an operation", async () => {
        const startedAt = input.startedAt ?? new Date();
        const namespaces = [...new Set(input.namespaces ?? [])].sort();
        const row = await prisma.auditOperation.create({
          data: {
            id: randomUUID(),
            kind: input.kind,
            actor: input.actor,
            actorRole: input.actorRole ?? null,
            cluster: input.cluster ?? null,
            namespaces: JSON.stringify(namespaces),
            parameters: JSON.stringify(redactCredentials(input.parameters ?? {})),
            status: input.status ?? "running",
            relatedOperationId: input.relatedOperationId ?? null,
            summary: clip(input.summary),
            startedAt,
            finishedAt: input.status === "dry_run" ? startedAt : null,
            namespaceLinks: { create: namespaces.map((namespace) => ({ namespace, startedAt })) },
          },
        });
        return toRecord(row);
      });
    },

    recordStep(operationId, step) {
      return write("Recording a step", async () => {
        await prisma.auditStep.create({ data: stepData(operationId, step) });
      });
    },

    recordSteps(operationId, steps) {
      return write("Recording steps", async () => {
        if (steps.length === 0) return;
        await prisma.$transaction(steps.map((step) => prisma.auditStep.create({ data: stepData(operationId, step) })));
      });
    },

    finishOperation(operationId, input) {
      return write("Finishing an operation", async () => {
        if (!OPERATION_STATUSES.includes(input.status)) {
          throw new AuditError("invalid", `Unknown operation status "${String(input.status)}".`);
        }
        const steps = foldSteps(await prisma.auditStep.findMany({ where: { operationId } }));
        const count = (outcome: StepOutcome) => steps.filter((step) => step.outcome === outcome).length;
        const allowedFrom = (Object.keys(NEXT_STATUSES) as OperationStatus[]).filter((from) =>
          NEXT_STATUSES[from].includes(input.status),
        );
        const updated = await prisma.auditOperation.updateMany({
          where: { id: operationId, status: { in: allowedFrom } },
          data: {
            status: input.status,
            summary: clip(input.summary),
            finishedAt: input.finishedAt ?? new Date(),
            stepsTotal: steps.length,
            stepsSucceeded: count("succeeded"),
            stepsFailed: count("failed"),
            stepsSkipped: count("skipped"),
          },
        });
        const row = await prisma.auditOperation.findUnique({ where: { id: operationId } });
        if (!row) throw new AuditError("not_found", `Operation ${operationId} does not exist.`);
        if (updated.count === 0) {
          throw new AuditError(
            "invalid_transition",
            `Operation ${operationId} is ${row.status}; it cannot become ${input.status}.`,
          );
        }
        return toRecord(row);
      });
    },

    listOperations(filter, { limit, cursor }) {
      return page(filter, limit, cursor);
    },

    async getOperation(id) {
      const row = await prisma.auditOperation.findUnique({ where: { id } });
      if (!row) return null;
      const steps = await prisma.auditStep.findMany({ where: { operationId: id }, orderBy: { id: "asc" } });
      const operation: OperationWithSteps = { ...toRecord(row), steps: foldSteps(steps) };
      return operation;
    },

    exportOperations(filter, format) {
      return exportStream(filter, format);
    },
  };

  async function* exportStream(filter: OperationFilter, format: ExportFormat): AsyncGenerator<string> {
    if (format === "csv") {
      yield csvRow([
        "id", "kind", "status", "actor", "actor_role", "cluster", "namespaces", "started_at", "finished_at",
        "steps_total", "steps_succeeded", "steps_failed", "steps_skipped", "summary",
      ]);
    } else {
      yield "[";
    }
    let cursor: string | null = null;
    let first = true;
    do {
      const batch: OperationPage = await page(filter, EXPORT_BATCH, cursor);
      const stepRows =
        format === "json" && batch.items.length
          ? await prisma.auditStep.findMany({
              where: { operationId: { in: batch.items.map((item) => item.id) } },
              orderBy: { id: "asc" },
            })
          : [];
      for (const item of batch.items) {
        if (format === "csv") {
          yield csvRow([
            item.id, item.kind, item.status, item.actor, item.actorRole, item.cluster, item.namespaces.join(" "),
            item.startedAt, item.finishedAt, item.counts.total, item.counts.succeeded, item.counts.failed,
            item.counts.skipped, item.summary,
          ]);
        } else {
          const steps = foldSteps(stepRows.filter((row) => row.operationId === item.id));
          yield `${first ? "" : ","}\n${JSON.stringify({ ...item, steps })}`;
          first = false;
        }
      }
      cursor = batch.nextCursor;
    } while (cursor);
    if (format === "json") yield "\n]\n";
  }
}
