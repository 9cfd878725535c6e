/**
 * Fills a scratch audit store with 100,000 operations (or N; with their namespace
 * links and two steps each) in multi-row inserts, then times the first page of the
 * audit log under each filter and search, as the audit page asks for it: median
 * and p95, with the fill rate and the load average.
 * Usage: npm run bench:audit [-- N] [--database postgresql://user@host:5432/postgres] [--keep] [--existing URL]
 * On PostgreSQL it creates a scratch database on that server and drops it after.
 * --existing measures a database an earlier run kept (--keep) instead of filling a new one, after applying
 * any migration it lacks: before and after a change on the same rows, without waiting for another fill.
 */
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { connectDatabase, type PrismaDatabase } from "../lib/db/client";
import { Prisma } from "../lib/generated/sqlite/client";
import { parseDatabaseUrl, type DatabaseTarget } from "../lib/db/database-url";
import { applyPendingMigrations } from "../lib/db/migrations";
import { createPrismaAuditStore } from "../lib/audit/prisma-audit-store";
import { pageOperationIdsQuery } from "../lib/audit/prisma-operation-page";
import type { OperationFilter } from "../lib/audit/port";

const args = process.argv.slice(2);
const databaseFlag = args.indexOf("--database");
/** --keep leaves the filled database in place (to read query plans), and prints where it is. */
const keep = args.includes("--keep");
const server = databaseFlag >= 0 ? args[databaseFlag + 1] : undefined;
const existingFlag = args.indexOf("--existing");
const existing = existingFlag >= 0 ? args[existingFlag + 1] : undefined;
const total = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 100_000);
const clusters = ["legacy", "regional", "modern", "large", "prod-eu", "prod-us", "staging", "dev"];
const kinds = ["copy_pull_secrets", "attach_pull_secrets", "migrate_to_api_keys", "verify_credentials", "create_scoped_credentials"];
const statuses = ["succeeded", "succeeded", "succeeded", "dry_run", "failed", "partially_failed"];
const actors = Array.from({ length: 40 }, (_, index) => `engineer${index}@example.com`);

const OPERATION_COLUMNS = [
  "id", "kind", "actor", "cluster", "namespaces", "parameters", "status", "summary", "stepsTotal", "stepsSucceeded", "startedAt", "finishedAt",
];
const STEP_COLUMNS = [
  "operationId", "sequence", "phase", "action", "outcome", "targetKind", "targetNamespace", "targetName", "durationMs", "recordedAt",
];

const start = Date.parse("2025-01-01T00:00:00Z");
const loadAverage = () => os.loadavg().map((load) => load.toFixed(2)).join(" ");

async function main(): Promise<void> {
  const scratch = existing ? { target: parseDatabaseUrl(existing), drop: async () => {} } : await scratchDatabase();
  const target = scratch.target;
  const migrationStarted = performance.now();
  const { applied } = await applyPendingMigrations(target);
  if (existing && applied.length) {
    console.log(`applied ${applied.join(", ")} in ${((performance.now() - migrationStarted) / 1000).toFixed(1)} s`);
  }
  const { prisma, provider, close } = await connectDatabase(target);
  const store = createPrismaAuditStore(prisma, provider);
  if (!existing) await fill(target, prisma, provider);
  else console.log(`${provider}, the existing database ${target.url}, load average ${loadAverage()}`);

  const cases: Array<[string, OperationFilter]> = [
    ["no filter", {}],
    ["cluster", { cluster: "regional" }],
    ["cluster + status", { cluster: "regional", status: "partially_failed" }],
    ["namespace", { namespace: "team-42" }],
    ["actor + kind", { actor: "engineer7@example.com", kind: "migrate_to_api_keys" }],
    ["time range", { from: new Date(start + 100 * 86_400_000), to: new Date(start + 101 * 86_400_000) }],
    ["text search", { text: "operation 99999" }],
    ["text, common", { text: "engineer7@" }],
    ["text + cluster", { text: "operation 4242", cluster: "prod-eu" }],
    ["limited user", { clusters: ["staging", "dev"], status: "failed" }],
  ];
  const runs = 40;
  console.log(`\nfirst page (50 rows), ${runs} runs after 3 warm-ups; wall time, and this process's CPU time (on SQLite the`);
  console.log(`whole query's cost, less sensitive to the machine's load than wall time)${provider === "postgresql" ? "; the id query's EXPLAIN ANALYZE" : ""}:`);
  for (const [label, filter] of cases) {
    const samples: number[] = [];
    const cpuSamples: number[] = [];
    for (let run = 0; run < runs + 3; run++) {
      const began = performance.now();
      const cpuBefore = process.cpuUsage();
      const page = await store.listOperations(filter, { limit: 50 });
      const cpu = process.cpuUsage(cpuBefore);
      if (run >= 3) {
        samples.push(performance.now() - began);
        cpuSamples.push((cpu.user + cpu.system) / 1000);
      }
      if (run === 0 && page.items.length === 0) throw new Error(`${label}: no rows, the benchmark is wrong`);
    }
    const explained = provider === "postgresql" ? `   ${await explain(prisma, filter)}` : "";
    console.log(
      `  ${label.padEnd(18)} median ${ms(percentile(samples, 0.5))}   p95 ${ms(percentile(samples, 0.95))}   ` +
        `CPU median ${ms(percentile(cpuSamples, 0.5))}${explained}`,
    );
  }
  console.log(`load average ${loadAverage()}`);
  await close();
  if (keep) console.log(`\nkept the database: ${target.url}`);
  else await scratch.drop();
}

/** Writes `total` operations, their namespace links and two steps each, then refreshes the planner's statistics. */
async function fill(target: DatabaseTarget, prisma: PrismaDatabase, provider: DatabaseTarget["provider"]): Promise<void> {
  const writer = await bulkWriter(target);
  const fillStarted = performance.now();
  // Multi-row INSERTs, a batch per transaction: one statement per table per 1,000 operations.
  const batch = 1_000;
  for (let offset = 0; offset < total; offset += batch) {
    const operations: unknown[][] = [];
    const links: unknown[][] = [];
    const steps: unknown[][] = [];
    for (let index = offset; index < Math.min(total, offset + batch); index++) {
      const id = randomUUID();
      const startedAt = new Date(start + index * 300_000);
      const namespaces = [`team-${index % 500}`, `app-${index % 37}`];
      operations.push([
        id, kinds[index % kinds.length]!, actors[index % actors.length]!, clusters[index % clusters.length]!,
        JSON.stringify(namespaces), JSON.stringify({ source: "default" }), statuses[index % statuses.length]!,
        `bench operation ${index}`, 2, 2, startedAt, new Date(startedAt.getTime() + 4_000),
      ]);
      for (const namespace of namespaces) links.push([id, namespace, startedAt]);
      for (const sequence of [1, 2]) {
        steps.push([id, sequence, "finished", "secret.copied", "succeeded", "Secret", namespaces[0]!, "all-icr-io", 20, startedAt]);
      }
    }
    await writer.insert([
      ["AuditOperation", OPERATION_COLUMNS, operations],
      ["AuditOperationNamespace", ["operationId", "namespace", "startedAt"], links],
      ["AuditStep", STEP_COLUMNS, steps],
    ]);
  }
  await writer.close();
  const fillSeconds = (performance.now() - fillStarted) / 1000;
  // As autovacuum would after a bulk load: statistics, and PostgreSQL's GIN pending list merged into the index.
  await prisma.$executeRawUnsafe(provider === "postgresql" ? "VACUUM ANALYZE" : "ANALYZE");
  console.log(`${provider}, load average ${loadAverage()}`);
  console.log(
    `filled ${total.toLocaleString("en")} operations (${(total * 2).toLocaleString("en")} steps) in ${fillSeconds.toFixed(1)} s: ` +
      `${Math.round(total / fillSeconds).toLocaleString("en")} operations/s`,
  );
}

const ms = (value: number) => `${value.toFixed(1).padStart(6)} ms`;

function percentile(samples: number[], fraction: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

/** PostgreSQL's own account of the page's id query (as the store runs it): execution time and buffers touched. */
async function explain(prisma: PrismaDatabase, filter: OperationFilter): Promise<string> {
  const query = await pageOperationIdsQuery(prisma, "postgresql", filter, null, 51);
  const [row] = await prisma.$queryRaw<Array<{ "QUERY PLAN": unknown }>>(
    Prisma.sql`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${query}`,
  );
  const [plan] = row!["QUERY PLAN"] as Array<{ "Execution Time": number; Plan: Record<string, number> }>;
  const buffers = plan!.Plan["Shared Hit Blocks"]! + plan!.Plan["Shared Read Blocks"]!;
  return `executed in ${plan!["Execution Time"].toFixed(2)} ms, ${buffers.toLocaleString("en")} buffers`;
}

type Batch = Array<[table: string, columns: string[], rows: unknown[][]]>;

/**
 * Writes the fill straight through the database driver, one multi-row INSERT per table and batch in one
 * transaction: Prisma's createMany spends most of its time building the query, which would make the fill
 * (not the reads being measured) the slow part. Dates are written the way Prisma stores them.
 */
async function bulkWriter(target: DatabaseTarget): Promise<{ insert(batch: Batch): Promise<void>; close(): Promise<void> }> {
  const valuesSql = (rowCount: number, columnCount: number, placeholder: (index: number) => string) =>
    Array.from({ length: rowCount }, (_, row) =>
      `(${Array.from({ length: columnCount }, (_, column) => placeholder(row * columnCount + column)).join(", ")})`,
    ).join(", ");
  const insertSql = (table: string, columns: string[], rowCount: number, placeholder: (index: number) => string) =>
    `INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(", ")}) VALUES ${valuesSql(rowCount, columns.length, placeholder)}`;

  if (target.provider === "sqlite") {
    const db = new Database(target.sqliteFile!);
    db.pragma("journal_mode = WAL");
    // Operation ids are random, so each batch touches pages all over the primary-key indexes: with SQLite's
    // default 2 MiB page cache the fill would spend its time re-reading them.
    db.pragma("cache_size = -262144");
    const statements = new Map<string, Database.Statement>();
    const prepared = (table: string, columns: string[], rowCount: number) => {
      const key = `${table}:${rowCount}`;
      let statement = statements.get(key);
      if (!statement) statements.set(key, (statement = db.prepare(insertSql(table, columns, rowCount, () => "?"))));
      return statement;
    };
    const sqliteValue = (value: unknown) => (value instanceof Date ? value.toISOString().replace("Z", "+00:00") : value);
    const write = db.transaction((batch: Batch) => {
      for (const [table, columns, rows] of batch) prepared(table, columns, rows.length).run(...rows.flat().map(sqliteValue));
    });
    return { insert: async (batch) => write(batch), close: async () => void db.close() };
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  return {
    async insert(batch) {
      await client.query("BEGIN");
      for (const [table, columns, rows] of batch) {
        // Prisma's columns are timestamp without time zone, holding UTC.
        const values = rows.flat().map((value) => (value instanceof Date ? value.toISOString() : value));
        await client.query(insertSql(table, columns, rows.length, (index) => `$${index + 1}`), values);
      }
      await client.query("COMMIT");
    },
    close: () => client.end(),
  };
}

async function scratchDatabase() {
  if (!server) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pullkeeper-bench-"));
    return { target: parseDatabaseUrl(`file:${path.join(dir, "bench.db")}`), drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `pullkeeper_bench_${randomBytes(6).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: server });
    await client.connect();
    try { await client.query(sql); } finally { await client.end(); }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { target: parseDatabaseUrl(url.toString()), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
