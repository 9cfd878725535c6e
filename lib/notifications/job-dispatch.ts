import "server-only";
import type { JobQueue } from "@/lib/jobs/port";
import type { DeliveryResult } from "./deliver";

/** The part of the durable job queue (lib/jobs) deliveries use: the `webhook-delivery` queue. */
export type DeliveryQueue = Pick<JobQueue, "send" | "work">;

export interface JobDispatchOptions {
  queue: DeliveryQueue;
  deliver: (deliveryId: string) => Promise<DeliveryResult>;
  /** When a delivery is due (or its sender's lease lapses) while it is pending, else null. */
  pendingUntil: (deliveryId: string) => Promise<Date | null>;
  /** Pending deliveries due before `now`, oldest first. */
  due: (now: Date, limit: number) => Promise<string[]>;
  /** Jobs of this queue this process runs at once. */
  concurrency: number;
  /** How often deliveries overdue by more than this are given a job again (a job lost with its process). */
  catchUpMs: number;
  onError: (error: unknown) => void;
  now?: () => Date;
}

export interface JobDispatch {
  /** Queues a job for each of these (new) deliveries, to run at once. */
  kick(deliveryIds: readonly string[]): Promise<void>;
  stop(): void;
}

/**
 * Deliveries carried by durable jobs: a job per attempt, keyed by the delivery
 * (so one waits and one runs at a time, across replicas). After each attempt,
 * or a call that found the delivery held by another sender, the job for its
 * next due time is queued while it is still pending: the row stays the truth,
 * a job only says when to look again. A job that fails (the database was
 * away) is retried by the queue; a delivery whose job was lost altogether
 * (its process stopped between writing the row and queueing the job) is found
 * by the catch-up, at start and then every `catchUpMs`.
 */
export async function startJobDispatch(options: JobDispatchOptions): Promise<JobDispatch> {
  const now = options.now ?? (() => new Date());
  const sendAt = async (deliveryId: string, due: Date) => {
    const startAfterSeconds = Math.max(0, Math.ceil((due.getTime() - now().getTime()) / 1000));
    await options.queue.send("webhook-delivery", { deliveryId }, { singletonKey: deliveryId, retryLimit: 5, retryDelaySeconds: 15, retryBackoff: true, ...(startAfterSeconds > 0 ? { startAfterSeconds } : {}) });
  };
  await options.queue.work(
    "webhook-delivery",
    async (job) => {
      const deliveryId: unknown = (job.data as { deliveryId?: unknown } | null)?.deliveryId;
      if (typeof deliveryId !== "string" || deliveryId === "") {
        // Queued by a version whose payload this one cannot read: said once, not retried; the catch-up finds the row.
        options.onError(new Error("a webhook-delivery job with a payload this version cannot read was dropped"));
        return;
      }
      await options.deliver(deliveryId);
      const due = await options.pendingUntil(deliveryId);
      if (due) await sendAt(deliveryId, due);
    },
    { concurrency: options.concurrency },
  );
  const catchUp = async (overdueMs: number) => {
    for (const deliveryId of await options.due(new Date(now().getTime() - overdueMs), 500)) await sendAt(deliveryId, now());
  };
  await catchUp(0);
  const timer = setInterval(() => void catchUp(options.catchUpMs).catch(options.onError), options.catchUpMs);
  timer.unref();
  return {
    kick: async (deliveryIds) => void (await Promise.all(deliveryIds.map((deliveryId) => sendAt(deliveryId, now())))),
    stop: () => clearInterval(timer),
  };
}
