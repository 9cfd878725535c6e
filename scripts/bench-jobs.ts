/**
 * Job queue throughput and resume latency (lib/jobs), on the machine's
 * PostgreSQL (pg-boss) and on the embedded SQLite queue, in the same run:
 *  - throughput: N no-op jobs sent one by one, then worked by two replicas
 *    (two queue instances, 2 workers each; SQLite: one instance, 2 workers);
 *  - resume: a job taken by a replica that then dies (never completes it) is
 *    taken by the other once it expires (expiry 5 s, maintenance every 1 s here;
 *    production defaults: 90 s and 30 s).
 * Usage: npm run bench:jobs [-- N]   (TEST_POSTGRES_URL overrides the admin URL)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import PgBoss from "pg-boss";
import { connectDatabase } from "../lib/db/client";
import { parseDatabaseUrl } from "../lib/db/database-url";
import { applyPendingMigrations } from "../lib/db/migrations";
import { createLocalJobQueue } from "../lib/jobs/local-queue";
import { createPgBossQueue, PG_BOSS_SCHEMA } from "../lib/jobs/pg-boss-queue";
import type { JobQueue } from "../lib/jobs/port";
import { createScratchDatabase } from "../tests/support/databases";

const total = Number(process.argv[2] ?? 2_000);
const load = () => os.loadavg().map((value) => value.toFixed(2)).join(" ");

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function throughput(label: string, replicas: JobQueue[]): Promise<{ sendPerSecond: number; workPerSecond: number }> {
  let handled = 0;
  const sendStarted = performance.now();
  for (let i = 0; i < total; i++) await replicas[i % replicas.length]!.send("webhook-delivery", { deliveryId: `d-${i}` }, { startAfterSeconds: 0 });
  const sendSeconds = (performance.now() - sendStarted) / 1000;
  const workStarted = performance.now();
  for (const queue of replicas) await queue.work("webhook-delivery", async () => void handled++, { concurrency: 2 });
  await until(() => handled >= total, 600_000);
  const workSeconds = (performance.now() - workStarted) / 1000;
  const result = { sendPerSecond: total / sendSeconds, workPerSecond: total / workSeconds };
  console.log(`${label.padEnd(34)} send ${result.sendPerSecond.toFixed(0).padStart(6)} jobs/s   work ${result.workPerSecond.toFixed(0).padStart(6)} jobs/s   (load ${load()})`);
  return result;
}

async function resumeLatency(url: string): Promise<number> {
  const survivor = await createPgBossQueue({ connectionString: url, expireInSeconds: 5, maintenanceIntervalSeconds: 1, pollingIntervalSeconds: 0.5 });
  const dead = new PgBoss({ connectionString: url, schema: PG_BOSS_SCHEMA });
  await dead.start();
  await survivor.send("workflow-run", { operationId: "resume-probe" }, { retryLimit: 3 });
  const [taken] = await dead.fetch("workflow-run");
  if (!taken) throw new Error("the dying replica took nothing");
  const diedAt = performance.now();
  await dead.stop({ graceful: false, wait: false, close: true }).catch(() => undefined);
  let resumedAt = 0;
  await survivor.work("workflow-run", async () => void (resumedAt = performance.now()));
  await until(() => resumedAt > 0, 60_000);
  await survivor.stop(1_000);
  return (resumedAt - diedAt) / 1000;
}

async function main(): Promise<void> {
  console.log(`bench:jobs — ${total} jobs, ${os.cpus().length} cores, load before ${load()}`);
  const postgres = await createScratchDatabase("postgresql");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pullkeeper-bench-jobs-"));
  try {
    const options = { connectionString: postgres.target.url, expireInSeconds: 90, maintenanceIntervalSeconds: 30, pollingIntervalSeconds: 0.5 };
    const replicas = [await createPgBossQueue(options), await createPgBossQueue(options)];
    const boss = await throughput("pg-boss, 2 replicas x 2 workers", replicas);
    for (const queue of replicas) await queue.stop(1_000);

    const target = parseDatabaseUrl(`file:${path.join(dir, "bench.db")}`);
    await applyPendingMigrations(target);
    const connection = await connectDatabase(target);
    const local = createLocalJobQueue(connection.prisma, { pollMs: 250 });
    await local.start();
    const sqlite = await throughput("local (SQLite), 1 process x 2", [local]);
    await local.stop(1_000);
    await connection.close();
    console.log(`ratio pg-boss / local: send ${(boss.sendPerSecond / sqlite.sendPerSecond).toFixed(2)}, work ${(boss.workPerSecond / sqlite.workPerSecond).toFixed(2)}`);

    const seconds = await resumeLatency(postgres.target.url);
    console.log(`resume after a replica died mid-job: ${seconds.toFixed(1)} s with expiry 5 s and maintenance every 1 s (load ${load()})`);
  } finally {
    await postgres.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
