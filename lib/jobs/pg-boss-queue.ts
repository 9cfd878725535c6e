import { randomUUID } from "node:crypto";
import PgBoss from "pg-boss";
import type { Job, JobQueue, QueueDepth, QueueName, QueuePayloads } from "./port";
import { QUEUE_NAMES } from "./port";

export interface PgBossQueueOptions {
  connectionString: string;
  /**
   * A job whose process died is taken again after this long (pg-boss v10 has no
   * heartbeat, so a handler must return well within it: workflow runs work in
   * bounded chunks, lib/workflows/engine/run-job.ts).
   */
  expireInSeconds: number;
  /** How often expired jobs are looked for (and archives kept in bounds). */
  maintenanceIntervalSeconds: number;
  /** How often an idle worker polls (a send from this process wakes its worker at once). */
  pollingIntervalSeconds: number;
  onError?: (error: unknown) => void;
}

/** The schema pg-boss installs and migrates itself in, beside Prisma's tables. */
export const PG_BOSS_SCHEMA = "pgboss";

/**
 * The job queue on PostgreSQL: pg-boss 10 (the last line that runs on Node.js 20;
 * 11 needs 22). Every queue is `stately`: per singleton key, at most one job
 * waits and one runs, across all replicas (a unique index in pg-boss's tables).
 */
export async function createPgBossQueue(options: PgBossQueueOptions): Promise<JobQueue> {
  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema: PG_BOSS_SCHEMA,
    application_name: "pullkeeper-jobs",
    max: 4,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds,
    archiveCompletedAfterSeconds: 3600,
    deleteAfterDays: 7,
  });
  boss.on("error", (error) => options.onError?.(error));
  await boss.start();
  for (const queue of QUEUE_NAMES) await boss.createQueue(queue, { name: queue, policy: "stately", expireInSeconds: options.expireInSeconds });
  const workers = new Map<QueueName, string[]>();

  return {
    engine: "pg-boss",
    async send(queue, data, sendOptions = {}) {
      const id = await boss.send(queue, data, {
        // Under `stately`, jobs without a key would all share the empty one (one waiting job per queue): a job of its own has a key of its own.
        singletonKey: sendOptions.singletonKey ?? randomUUID(),
        ...(sendOptions.startAfterSeconds ? { startAfter: sendOptions.startAfterSeconds } : {}),
        retryLimit: sendOptions.retryLimit ?? 0,
        ...(sendOptions.retryDelaySeconds ? { retryDelay: sendOptions.retryDelaySeconds } : {}),
        ...(sendOptions.retryBackoff ? { retryBackoff: true } : {}),
        expireInSeconds: options.expireInSeconds,
      });
      // Our own worker takes it now rather than at its next poll.
      if (!sendOptions.startAfterSeconds) for (const worker of workers.get(queue) ?? []) boss.notifyWorker(worker);
      return id;
    },
    async work(queue, handler, workOptions = {}) {
      for (let i = 0; i < Math.max(1, workOptions.concurrency ?? 1); i++) {
        let workerId = "";
        workerId = await boss.work<QueuePayloads[typeof queue]>(
          queue,
          { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds, includeMetadata: true },
          async ([job]) => {
            if (!job) return;
            try {
              await handler({ id: job.id, queue, data: job.data, retryCount: job.retryCount } as Job<typeof queue>);
            } finally {
              // A worker that found a job looks for the next one at once; only an empty fetch waits for the polling interval.
              boss.notifyWorker(workerId);
            }
          },
        );
        workers.set(queue, [...(workers.get(queue) ?? []), workerId]);
      }
    },
    async schedule(queue, cron) {
      await boss.schedule(queue, cron, {}, { tz: "UTC", singletonKey: "schedule" });
    },
    async depth() {
      const { rows } = await boss.getDb().executeSql(
        `SELECT name, state, count(*)::int AS n, EXTRACT(EPOCH FROM (now() - min(created_on)))::float AS age
           FROM ${PG_BOSS_SCHEMA}.job WHERE state IN ('created', 'retry', 'active') GROUP BY name, state`,
        [],
      );
      return QUEUE_NAMES.map((queue): QueueDepth => {
        const of = (states: string[]) => rows.filter((row: { name: string; state: string }) => row.name === queue && states.includes(row.state));
        const waiting = of(["created", "retry"]);
        return {
          queue,
          waiting: waiting.reduce((sum: number, row: { n: number }) => sum + row.n, 0),
          active: of(["active"]).reduce((sum: number, row: { n: number }) => sum + row.n, 0),
          oldestWaitingSeconds: Math.max(0, ...waiting.map((row: { age: number }) => row.age)),
        };
      });
    },
    async stop(timeoutMs) {
      await boss.stop({ graceful: true, timeout: timeoutMs, wait: true, close: true });
    },
  };
}
