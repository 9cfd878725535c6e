import { afterEach, describe, expect, it } from "vitest";
import { startJobDispatch, type DeliveryQueue, type JobDispatch } from "./job-dispatch";

const NOW = new Date("2026-12-07T03:00:00.000Z");
let dispatch: JobDispatch | undefined;
afterEach(() => dispatch?.stop());

type Sent = { deliveryId: string; singletonKey?: string; startAfterSeconds?: number };

function fakeQueue() {
  const sent: Sent[] = [];
  let handler: ((job: { data: { deliveryId: string } }) => Promise<void>) | undefined;
  const queue = {
    send: async (_queue: string, data: { deliveryId: string }, options: { singletonKey?: string; startAfterSeconds?: number } = {}) => {
      sent.push({ ...data, singletonKey: options.singletonKey!, ...(options.startAfterSeconds ? { startAfterSeconds: options.startAfterSeconds } : {}) });
      return "job";
    },
    work: async (_queue: string, work: typeof handler) => void (handler = work),
  } as unknown as DeliveryQueue;
  return { queue, sent, run: (deliveryId: string) => handler!({ data: { deliveryId } }), runRaw: (data: unknown) => handler!({ data } as never) };
}

const quiet = (error: unknown) => {
  throw error;
};

describe("deliveries on durable jobs", () => {
  it("queues a job, when it starts, for every delivery already due (one whose job was lost)", async () => {
    const { queue, sent } = fakeQueue();
    dispatch = await startJobDispatch({ queue, deliver: async () => ({ attempted: false }), pendingUntil: async () => NOW, due: async () => ["left-behind"], concurrency: 2, catchUpMs: 60_000, onError: quiet, now: () => NOW });
    expect(sent).toEqual([{ deliveryId: "left-behind", singletonKey: "left-behind" }]);
  });

  it("after an attempt, queues the next one at its due time while the delivery is pending, and nothing once settled", async () => {
    const { queue, sent, run } = fakeQueue();
    let retryAt: Date | null = new Date(NOW.getTime() + 30_200);
    const attempted: string[] = [];
    dispatch = await startJobDispatch({
      queue,
      deliver: async (id) => (attempted.push(id), { attempted: true, status: "pending", statusCode: 500, error: "HTTP 500", retryAt }),
      pendingUntil: async () => retryAt,
      due: async () => [],
      concurrency: 2,
      catchUpMs: 60_000,
      onError: quiet,
      now: () => NOW,
    });
    await dispatch.kick(["d-1"]);
    expect(sent).toEqual([{ deliveryId: "d-1", singletonKey: "d-1" }]);
    await run("d-1");
    expect(sent[1]).toEqual({ deliveryId: "d-1", singletonKey: "d-1", startAfterSeconds: 31 });
    retryAt = null;
    await run("d-1");
    expect(attempted).toEqual(["d-1", "d-1"]);
    expect(sent).toHaveLength(2);
  });

  it("drops, with one error and no attempt, a job whose payload this version cannot read", async () => {
    const { queue, runRaw } = fakeQueue();
    const errors: string[] = [];
    const attempted: string[] = [];
    dispatch = await startJobDispatch({ queue, deliver: async (id) => (attempted.push(id), { attempted: false }), pendingUntil: async () => null, due: async () => [], concurrency: 1, catchUpMs: 60_000, onError: (error) => void errors.push(String(error)), now: () => NOW });
    await runRaw({ delivery: "d-1" });
    await runRaw(null);
    expect(attempted).toEqual([]);
    expect(errors).toHaveLength(2);
  });
});
