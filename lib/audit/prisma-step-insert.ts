import "server-only";
import { join, sqltag as sql } from "@prisma/client/runtime/client";
import type { PrismaDatabase } from "@/lib/db/client";
import type { stepData } from "./prisma-rows";

export type StepRow = ReturnType<typeof stepData>;

/** Rows per INSERT: 15 parameters each stays far below SQLite's and PostgreSQL's parameter limits. */
const ROWS_PER_INSERT = 200;

/**
 * Step events as multi-row INSERT statements (one per 200 rows), in one
 * transaction. The same table and columns Prisma writes (quoted model and field
 * names; a Date binds as Prisma's own DateTime on both databases), without the
 * client's per-row query planning: `createMany` of 10 rows cost as much as 20
 * single creates here, a raw INSERT of 10 rows about one. A failed insert says
 * little about which row failed: callers that need the reason write the rows
 * one by one with the client again.
 */
export async function insertStepRows(prisma: PrismaDatabase, rows: readonly StepRow[]): Promise<void> {
  const statements = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const values = rows
      .slice(start, start + ROWS_PER_INSERT)
      .map(
        (row) =>
          sql`(${row.operationId}, ${row.sequence}, ${row.phase}, ${row.action}, ${row.outcome}, ${row.targetKind}, ${row.targetNamespace}, ${row.targetName}, ${row.errorKind}, ${row.errorMessage}, ${row.beforeFingerprint}, ${row.afterFingerprint}, ${row.detail}, ${row.durationMs}, ${row.recordedAt})`,
      );
    statements.push(
      prisma.$executeRaw`INSERT INTO "AuditStep" ("operationId", "sequence", "phase", "action", "outcome", "targetKind", "targetNamespace", "targetName", "errorKind", "errorMessage", "beforeFingerprint", "afterFingerprint", "detail", "durationMs", "recordedAt") VALUES ${join(values)}`,
    );
  }
  if (statements.length === 1) await statements[0];
  else if (statements.length > 1) await prisma.$transaction(statements);
}

/**
 * An operation's namespace links (`AuditOperationNamespace`) as multi-row INSERTs, for the same reason: a copy into
 * 500 namespaces wrote 500 rows through the client's nested create, which cost more than the rest of its bookkeeping.
 * Returned unexecuted, to run in the transaction that creates the operation.
 */
export function namespaceLinkInserts(prisma: PrismaDatabase, operationId: string, namespaces: readonly string[], startedAt: Date) {
  const statements = [];
  for (let start = 0; start < namespaces.length; start += ROWS_PER_INSERT) {
    const values = namespaces.slice(start, start + ROWS_PER_INSERT).map((namespace) => sql`(${operationId}, ${namespace}, ${startedAt})`);
    statements.push(prisma.$executeRaw`INSERT INTO "AuditOperationNamespace" ("operationId", "namespace", "startedAt") VALUES ${join(values)}`);
  }
  return statements;
}

/**
 * An operation's step counters as finishing it stores them, counted by the database instead of reading every event
 * back: a step is one sequence; its outcome is its `finished` event's (at most one per sequence, always recorded
 * after its `started` one), so a step with only a `started` event counts in the total alone. The same numbers as
 * folding the events (prisma-rows.ts foldSteps), in one aggregate query.
 */
export async function stepCountsOf(prisma: PrismaDatabase, operationId: string) {
  const finished = (outcome: string) => sql`COALESCE(SUM(CASE WHEN "phase" = 'finished' AND "outcome" = ${outcome} THEN 1 ELSE 0 END), 0)`;
  const [row] = await prisma.$queryRaw<Array<Record<"total" | "succeeded" | "failed" | "skipped", number | bigint | string>>>`
    SELECT COUNT(DISTINCT "sequence") AS "total", ${finished("succeeded")} AS "succeeded", ${finished("failed")} AS "failed", ${finished("skipped")} AS "skipped"
    FROM "AuditStep" WHERE "operationId" = ${operationId}`;
  return { stepsTotal: Number(row?.total ?? 0), stepsSucceeded: Number(row?.succeeded ?? 0), stepsFailed: Number(row?.failed ?? 0), stepsSkipped: Number(row?.skipped ?? 0) };
}
