import "server-only";
import { join, sqltag as sql } from "@prisma/client/runtime/client";
import type { PrismaDatabase } from "@/lib/db/client";
import type { DatabaseProvider } from "@/lib/db/database-url";
import type { stepData } from "./prisma-rows";

export type StepRow = ReturnType<typeof stepData>;

/** Rows per INSERT: the rows travel as one JSON parameter, so only the statement's size bounds it. */
const ROWS_PER_INSERT = 1000;

/** The columns, in the order each row's JSON array holds them. */
const COLUMNS = ["operationId", "sequence", "phase", "action", "outcome", "targetKind", "targetNamespace", "targetName", "errorKind", "errorMessage", "beforeFingerprint", "afterFingerprint", "detail", "durationMs", "recordedAt"] as const;
const COLUMN_LIST = COLUMNS.map((c) => `"${c}"`).join(", ");
const INT_COLUMNS = new Set<string>(["sequence", "durationMs"]);

/**
 * Each database's INSERT … SELECT over one JSON array of rows (each row an array in COLUMNS' order). Values arrive
 * as the JSON's strings, numbers and nulls; a timestamp as the text Prisma itself stores (SQLite: ISO 8601 with
 * "+00:00", what @prisma/adapter-better-sqlite3 writes; PostgreSQL: cast to timestamp(3), the column's type).
 */
const INSERT_FROM_JSON: Record<DatabaseProvider, string> = {
  sqlite: `INSERT INTO "AuditStep" (${COLUMN_LIST}) SELECT ${COLUMNS.map((_, i) => `"value" ->> ${i}`).join(", ")} FROM json_each(?) ORDER BY "key"`,
  postgresql: `INSERT INTO "AuditStep" (${COLUMN_LIST}) SELECT ${COLUMNS.map((c, i) => (c === "recordedAt" ? `(r ->> ${i})::timestamp(3)` : INT_COLUMNS.has(c) ? `(r ->> ${i})::integer` : `r ->> ${i}`)).join(", ")} FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(r, n) ORDER BY n`,
};

/** One row as its JSON array; the timestamp as the database's text for it. */
function jsonRow(row: StepRow, provider: DatabaseProvider): unknown[] {
  return COLUMNS.map((c) => {
    const value = row[c];
    if (value instanceof Date) return provider === "sqlite" ? value.toISOString().replace("Z", "+00:00") : value.toISOString();
    return value;
  });
}

/**
 * Step events as INSERT … SELECT statements over one JSON parameter each (up to 1,000 rows), in one transaction. The
 * same table and columns Prisma writes, without the client's per-row cost: `createMany` of 10 rows cost as much as
 * 20 single creates, and a multi-row VALUES insert still paid the client's handling of 15 parameters per row (a
 * copy into 500 namespaces records about 10,500 events). A failed insert says little about which row failed:
 * callers that need the reason write the rows one by one with the client again. `prisma-step-insert.test.ts`
 * pins what this stores against the client's own create on both databases.
 */
export async function insertStepRows(prisma: PrismaDatabase, provider: DatabaseProvider, rows: readonly StepRow[]): Promise<void> {
  const statements = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const json = JSON.stringify(rows.slice(start, start + ROWS_PER_INSERT).map((row) => jsonRow(row, provider)));
    statements.push(prisma.$executeRawUnsafe(INSERT_FROM_JSON[provider], json));
  }
  if (statements.length === 1) await statements[0];
  else if (statements.length > 1) await prisma.$transaction(statements);
}

/** Namespace links per INSERT: 3 parameters each stays far below SQLite's and PostgreSQL's parameter limits. */
const LINKS_PER_INSERT = 200;

/**
 * An operation's namespace links (`AuditOperationNamespace`) as multi-row INSERTs, for the same reason: a copy into
 * 500 namespaces wrote 500 rows through the client's nested create, which cost more than the rest of its bookkeeping.
 * Returned unexecuted, to run in the transaction that creates the operation.
 */
export function namespaceLinkInserts(prisma: PrismaDatabase, operationId: string, namespaces: readonly string[], startedAt: Date) {
  const statements = [];
  for (let start = 0; start < namespaces.length; start += LINKS_PER_INSERT) {
    const values = namespaces.slice(start, start + LINKS_PER_INSERT).map((namespace) => sql`(${operationId}, ${namespace}, ${startedAt})`);
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
