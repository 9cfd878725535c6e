import { afterEach, describe, expect, it } from "vitest";
import { startDeliveryScheduler, type DeliveryScheduler } from "./scheduler";

let scheduler: DeliveryScheduler | undefined;
afterEach(async () => scheduler?.stop());

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe("the in-process delivery scheduler", () => {
  it("picks up due deliveries from the database when it starts, and sends kicked ones at once", async () => {
    const sent: string[] = [];
    let due = ["left-by-a-stopped-process"];
    scheduler = startDeliveryScheduler({
      deliver: async (id) => (sent.push(id), { attempted: false }),
      due: async () => [due, (due = [])][0]!,
      pollMs: 60_000,
      concurrency: 2,
      onError: (error) => {
        throw error;
      },
    });
    await settle();
    expect(sent).toEqual(["left-by-a-stopped-process"]);
    scheduler.kick(["new-1", "new-2", "new-1"]);
    await settle();
    expect(sent).toEqual(["left-by-a-stopped-process", "new-1", "new-2"]);
  });

  it("sends at most `concurrency` at once and reports a failed send without stopping", async () => {
    let running = 0;
    let peak = 0;
    const errors: string[] = [];
    scheduler = startDeliveryScheduler({
      deliver: async (id) => {
        running += 1;
        peak = Math.max(peak, running);
        await settle();
        running -= 1;
        if (id === "bad") throw new Error("database gone");
        return { attempted: false };
      },
      due: async () => [],
      pollMs: 60_000,
      concurrency: 2,
      onError: (_error, id) => void errors.push(String(id)),
    });
    scheduler.kick(["a", "bad", "c", "d"]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(peak).toBe(2);
    expect(errors).toEqual(["bad"]);
  });
});
