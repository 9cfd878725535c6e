import "server-only";
import type { DeliveryResult } from "./deliver";

export interface DeliverySchedulerOptions {
  /** `deliverWebhook` bound to its dependencies. */
  deliver: (deliveryId: string) => Promise<DeliveryResult>;
  /** Pending deliveries due now, oldest first (store.due). */
  due: (now: Date, limit: number) => Promise<string[]>;
  /** How often the database is asked for due deliveries (retries, and what a stopped process left). */
  pollMs: number;
  /** Deliveries sent at once by this process. */
  concurrency: number;
  onError: (error: unknown, deliveryId?: string) => void;
}

export interface DeliveryScheduler {
  /** Sends these deliveries now (just created), without waiting for the next poll. */
  kick(deliveryIds: readonly string[]): void;
  /** Stops polling and waits for the sends in flight. */
  stop(): Promise<void>;
}

/**
 * The in-process sender, until durable jobs carry deliveries: it polls the
 * database for due deliveries (so retries, and deliveries a stopped process
 * left pending, are picked up after a restart or by another replica), and
 * sends new ones at once. Every send goes through `deliverWebhook`, whose
 * claim keeps two replicas from sending the same delivery.
 */
export function startDeliveryScheduler(options: DeliverySchedulerOptions): DeliveryScheduler {
  const inFlight = new Map<string, Promise<void>>();
  const queued: string[] = [];
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const pump = () => {
    while (!stopped && inFlight.size < options.concurrency && queued.length > 0) {
      const id = queued.shift()!;
      if (inFlight.has(id)) continue;
      const run = options
        .deliver(id)
        .then(() => undefined)
        .catch((error: unknown) => options.onError(error, id))
        .finally(() => {
          inFlight.delete(id);
          pump();
        });
      inFlight.set(id, run);
    }
  };
  const enqueue = (ids: readonly string[]) => {
    for (const id of ids) if (!inFlight.has(id) && !queued.includes(id)) queued.push(id);
    pump();
  };
  const poll = async () => {
    try {
      if (queued.length < options.concurrency * 4) enqueue(await options.due(new Date(), options.concurrency * 4));
    } catch (error) {
      options.onError(error);
    }
    if (!stopped) {
      timer = setTimeout(() => void poll(), options.pollMs);
      timer.unref();
    }
  };
  void poll();

  return {
    kick: enqueue,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await Promise.all(inFlight.values());
    },
  };
}
