import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import cronParser from "cron-parser";
import type { PrismaDatabase } from "@/lib/db/client";
import type { Job, JobHandler, JobQueue, QueueDepth, QueueName, QueuePayloads, SendOptions, WorkOptions } from "./port";
import { QUEUE_NAMES } from "./port";

export interface LocalQueueOptions {
  /** The shortest wait of an idle worker whose queue holds a job that is due but could not be taken (singleton key busy, another worker won it). */
  pollMs?: number;
  /**
   * The longest wait of an idle worker. It sleeps until its queue's next delayed job (a retry, a scheduled send)
   * is due, and a send or a finished job in this process wakes it at once; this bound only matters for rows
   * written by another process on the same file (scripts). Polling every 250 ms instead cost two queries per
   * worker four times a second, a steady share of the one thread that also renders the pages.
   */
  idleMs?: number;
  onError?: (error: unknown, context: { queue: QueueName; jobId?: string }) => void;
  now?: () => Date;
}

type JobTable = PrismaDatabase["localJob"];
type Row = Awaited<ReturnType<JobTable["findMany"]>>[number];

/**
 * The job queue of the embedded SQLite database, where Pullkeeper runs as one
 * process: jobs are rows of `LocalJob`, taken by workers polling in-process.
 * `start()` turns the jobs left `active` by a previous process back into
 * waiting ones, which is how a restart resumes what was running (there is no
 * other process that could hold them).
 */
export function createLocalJobQueue(prisma: PrismaDatabase, options: LocalQueueOptions = {}): JobQueue & { start(): Promise<number> } {
  const table = prisma.localJob;
  const now = options.now ?? (() => new Date());
  const bounds = { pollMs: options.pollMs ?? 250, idleMs: Math.max(options.pollMs ?? 250, options.idleMs ?? 2_000) };
  const wakers = new Map<QueueName, Set<() => void>>();
  const running = new Set<Promise<void>>();
  let stopped = false;

  const wake = (queue: QueueName) => wakers.get(queue)?.forEach((resolve) => resolve());

  async function workLoop<Q extends QueueName>(queue: Q, handler: JobHandler<Q>): Promise<void> {
    while (!stopped) {
      let row: Row | null = null;
      try {
        row = await claim(table, queue, now);
      } catch (error) {
        options.onError?.(error, { queue });
      }
      if (!row) {
        await wakeOrPoll(wakers, queue, idleWait(table, queue, now, bounds));
        continue;
      }
      const job: Job<Q> = { id: row.id, queue, data: JSON.parse(row.data) as QueuePayloads[Q], retryCount: row.retryCount };
      let failure: unknown = undefined;
      try {
        await handler(job);
      } catch (error) {
        failure = error ?? new Error("job failed");
      }
      await settle(table, row, failure, queue, now, options.onError).catch((error: unknown) => options.onError?.(error, { queue, jobId: row.id }));
      wake(queue); // a job of the same singleton key may have waited for this one
    }
  }

  return {
    engine: "local",
    start: () => resumeAfterRestart(table, now),
    async send(queue, data, sendOptions: SendOptions = {}) {
      const key = sendOptions.singletonKey ?? null;
      if (key && (await table.count({ where: { queue, singletonKey: key, state: "created" } }))) return null;
      const id = randomUUID();
      await table.create({
        data: {
          id, queue, data: JSON.stringify(data), state: "created", singletonKey: key,
          retryLimit: sendOptions.retryLimit ?? 0,
          startAfter: new Date(now().getTime() + (sendOptions.startAfterSeconds ?? 0) * 1000),
          retryDelaySeconds: sendOptions.retryDelaySeconds ?? 0,
          retryBackoff: sendOptions.retryBackoff ?? false,
          createdAt: now(),
        },
      });
      if (!sendOptions.startAfterSeconds) wake(queue);
      return id;
    },
    async work(queue, handler, workOptions: WorkOptions = {}) {
      for (let i = 0; i < Math.max(1, workOptions.concurrency ?? 1); i++) {
        const loop = workLoop(queue, handler);
        running.add(loop);
        void loop.finally(() => running.delete(loop));
      }
    },
    async schedule(queue, cron) {
      const tick = async () => {
        while (!stopped) {
          const next = cronParser.parseExpression(cron, { currentDate: now(), utc: true }).next().toDate();
          await sleep(Math.max(0, next.getTime() - now().getTime()), undefined, { ref: false });
          if (stopped) return;
          await this.send(queue, {} as QueuePayloads[typeof queue], { singletonKey: `schedule:${next.toISOString()}` }).catch((error: unknown) => options.onError?.(error, { queue }));
        }
      };
      void tick();
    },
    depth: () => queueDepth(table, now),
    async stop(timeoutMs) {
      stopped = true;
      for (const set of wakers.values()) set.forEach((resolve) => resolve());
      await Promise.race([Promise.allSettled([...running]), sleep(timeoutMs, undefined, { ref: false })]);
    },
  };
}

/** pg-boss's rule: the delay, doubled per retry with backoff. */
function retryDelaySeconds(row: Row): number {
  return row.retryBackoff ? row.retryDelaySeconds * 2 ** row.retryCount : row.retryDelaySeconds;
}

/** Takes the oldest due job of the queue whose singleton key is not already running; null when none (or another worker won it). */
async function claim(table: JobTable, queue: QueueName, now: () => Date): Promise<Row | null> {
  const activeKeys = (await table.findMany({ where: { queue, state: "active", singletonKey: { not: null } }, select: { singletonKey: true } })).map((row) => row.singletonKey!);
  const due = await table.findFirst({
    where: { queue, state: "created", startAfter: { lte: now() }, ...(activeKeys.length ? { OR: [{ singletonKey: null }, { singletonKey: { notIn: activeKeys } }] } : {}) },
    orderBy: [{ startAfter: "asc" }, { createdAt: "asc" }],
  });
  if (!due) return null;
  const taken = await table.updateMany({ where: { id: due.id, state: "created" }, data: { state: "active", startedAt: now() } });
  return taken.count === 1 ? due : null;
}

/** Completes the job, or schedules its retry, or fails it for good. */
async function settle(table: JobTable, row: Row, error: unknown, queue: QueueName, now: () => Date, onError: LocalQueueOptions["onError"]): Promise<void> {
  if (error === undefined) {
    await table.update({ where: { id: row.id }, data: { state: "completed", finishedAt: now() } });
    return;
  }
  onError?.(error, { queue, jobId: row.id });
  const lastError = (error instanceof Error ? error.message : String(error)).slice(0, 500);
  if (row.retryCount < row.retryLimit) {
    const delay = retryDelaySeconds(row);
    await table.update({ where: { id: row.id }, data: { state: "created", retryCount: row.retryCount + 1, startAfter: new Date(now().getTime() + delay * 1000), lastError } });
  } else {
    await table.update({ where: { id: row.id }, data: { state: "failed", finishedAt: now(), lastError } });
  }
}

/** How long an idle worker of the queue may sleep: until its next waiting job is due, between pollMs and idleMs. */
async function idleWait(table: JobTable, queue: QueueName, now: () => Date, bounds: { pollMs: number; idleMs: number }): Promise<number> {
  try {
    const next = await table.findFirst({ where: { queue, state: "created" }, orderBy: { startAfter: "asc" }, select: { startAfter: true } });
    if (!next) return bounds.idleMs;
    return Math.min(bounds.idleMs, Math.max(bounds.pollMs, next.startAfter.getTime() - now().getTime()));
  } catch {
    // The claim's own failure is reported by the loop; look again soon.
    return bounds.pollMs;
  }
}

/**
 * Resolves when a send or a finished job in this process wakes the queue, or after the wait `waitMs` resolves to.
 * Listens from the start, so a send while the wait is being worked out is not missed.
 */
function wakeOrPoll(wakers: Map<QueueName, Set<() => void>>, queue: QueueName, waitMs: Promise<number>): Promise<void> {
  return new Promise<void>((resolve) => {
    const set = wakers.get(queue) ?? new Set();
    wakers.set(queue, set);
    let timer: NodeJS.Timeout | undefined;
    let woken = false;
    const done = () => {
      woken = true;
      set.delete(done);
      clearTimeout(timer);
      resolve();
    };
    set.add(done);
    void waitMs.then((ms) => {
      if (!woken) timer = setTimeout(done, ms);
    });
  });
}

/** Waiting and active jobs per queue, and how long the oldest has waited. */
async function queueDepth(table: JobTable, now: () => Date): Promise<QueueDepth[]> {
  const rows = await table.groupBy({ by: ["queue", "state"], where: { state: { in: ["created", "active"] } }, _count: { _all: true }, _min: { createdAt: true } });
  return QUEUE_NAMES.map((queue): QueueDepth => {
    const waiting = rows.find((row) => row.queue === queue && row.state === "created");
    const active = rows.find((row) => row.queue === queue && row.state === "active");
    const oldest = waiting?._min.createdAt;
    return { queue, waiting: waiting?._count._all ?? 0, active: active?._count._all ?? 0, oldestWaitingSeconds: oldest ? Math.max(0, (now().getTime() - oldest.getTime()) / 1000) : 0 };
  });
}

/** Jobs a previous process left active wait again (nothing else could hold them); returns how many. */
async function resumeAfterRestart(table: JobTable, now: () => Date): Promise<number> {
  const orphans = await table.updateMany({ where: { state: "active" }, data: { state: "created", startedAt: null } });
  // Completed and failed rows are history: keep a week of it.
  await table.deleteMany({ where: { state: { in: ["completed", "failed", "cancelled"] }, finishedAt: { lt: new Date(now().getTime() - 7 * 86_400_000) } } });
  return orphans.count;
}
