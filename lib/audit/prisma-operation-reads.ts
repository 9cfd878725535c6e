import "server-only";
import type { PrismaDatabase } from "@/lib/db/client";
import type { DatabaseProvider } from "@/lib/db/database-url";
import { csvRow } from "./csv";
import { decodeCursor, encodeCursor } from "./cursor";
import { pageOperationIds } from "./prisma-operation-page";
import { foldSteps, toRecord } from "./prisma-rows";
import { AuditError, type AuditStore, type ExportFormat, type OperationFilter, type OperationPage, type OperationRecord, type OperationWithSteps } from "./port";

const MAX_PAGE = 200;
/** Rows per export page (and chunk); page() caps it at MAX_PAGE. */
const EXPORT_BATCH = MAX_PAGE;
const CSV_HEADER = [
  "id", "kind", "status", "actor", "actor_role", "cluster", "namespaces", "started_at", "finished_at",
  "steps_total", "steps_succeeded", "steps_failed", "steps_skipped", "summary",
];

const csvLine = (item: OperationRecord) =>
  csvRow([
    item.id, item.kind, item.status, item.actor, item.actorRole, item.cluster, item.namespaces.join(" "),
    item.startedAt, item.finishedAt, item.counts.total, item.counts.succeeded, item.counts.failed,
    item.counts.skipped, item.summary,
  ]);

/** Reading the log: keyset pages newest first, one operation with its steps, and streamed exports. */
export function prismaOperationReads(prisma: PrismaDatabase, provider: DatabaseProvider): Pick<AuditStore, "listOperations" | "getOperation" | "exportOperations"> {
  async function page(filter: OperationFilter, limit: number, cursor?: string | null): Promise<OperationPage> {
    const take = Math.max(1, Math.min(MAX_PAGE, Math.floor(limit)));
    const position = cursor ? decodeCursor(cursor) : null;
    if (cursor && !position) throw new AuditError("invalid", "The page cursor is not valid; start again from the first page.");
    const ids = await pageOperationIds(prisma, provider, filter, position, take + 1);
    const found = await prisma.auditOperation.findMany({ where: { id: { in: ids } } });
    const byId = new Map(found.map((row) => [row.id, row]));
    const rows = ids.flatMap((id) => byId.get(id) ?? []);
    const items = rows.slice(0, take);
    const last = items[items.length - 1];
    return {
      items: items.map(toRecord),
      nextCursor: rows.length > take && last ? encodeCursor({ startedAt: last.startedAt, id: last.id }) : null,
    };
  }

  /**
   * One chunk per keyset page (EXPORT_BATCH rows): the next page is read only when the consumer asks for more, and
   * a page is one string rather than a row each, so a large export costs one query and one write per page.
   */
  async function* exportStream(filter: OperationFilter, format: ExportFormat): AsyncGenerator<string> {
    yield format === "csv" ? csvRow(CSV_HEADER) : "[";
    let cursor: string | null = null;
    let first = true;
    do {
      const batch: OperationPage = await page(filter, EXPORT_BATCH, cursor);
      if (format === "csv") {
        if (batch.items.length) yield batch.items.map(csvLine).join("");
      } else if (batch.items.length) {
        const stepRows = await prisma.auditStep.findMany({
          where: { operationId: { in: batch.items.map((item) => item.id) } },
          orderBy: { id: "asc" },
        });
        const stepsOf = new Map<string, typeof stepRows>();
        for (const row of stepRows) {
          const rows = stepsOf.get(row.operationId);
          if (rows) rows.push(row);
          else stepsOf.set(row.operationId, [row]);
        }
        let chunk = "";
        for (const item of batch.items) {
          chunk += `${first ? "" : ","}\n${JSON.stringify({ ...item, steps: foldSteps(stepsOf.get(item.id) ?? []) })}`;
          first = false;
        }
        yield chunk;
      }
      cursor = batch.nextCursor;
    } while (cursor);
    if (format === "json") yield "\n]\n";
  }

  return {
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
}
