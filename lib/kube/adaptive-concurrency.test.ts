import { describe, expect, it } from "vitest";
import { AdaptiveConcurrency, type ServerSignal } from "./adaptive-concurrency";

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Runs `count` requests through the limiter, each answered with `signal(i)` after a turn of the event loop; tracks how many ran at once. */
async function burst(limiter: AdaptiveConcurrency, count: number, signal: (index: number) => ServerSignal) {
  let inFlight = 0;
  let peak = 0;
  await Promise.all(
    Array.from({ length: count }, (_, index) =>
      limiter.run(async (report) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await tick();
        inFlight--;
        report(signal(index));
      }),
    ),
  );
  return peak;
}

describe("AdaptiveConcurrency", () => {
  it("starts at half the ceiling and grows with healthy answers up to the ceiling, never beyond", async () => {
    const limiter = new AdaptiveConcurrency({ ceiling: 16 });
    expect(limiter.level).toBe(8);
    const first = await burst(limiter, 40, () => ({ kind: "ok" }));
    expect(first).toBeLessThanOrEqual(16);
    expect(limiter.level).toBeGreaterThan(8);
    const peak = await burst(limiter, 2000, () => ({ kind: "ok" }));
    expect(limiter.level).toBe(16);
    expect(peak).toBe(16);
  });

  it("honours an explicit start and a ceiling below it", () => {
    expect(new AdaptiveConcurrency({ ceiling: 4, initial: 10 }).level).toBe(4);
    expect(new AdaptiveConcurrency({ ceiling: 1 }).level).toBe(1);
    expect(new AdaptiveConcurrency({ ceiling: 10, initial: 3 }).level).toBe(3);
  });

  it("halves on a 429 once per congestion event: answers to requests sent before the decrease do not halve it again", async () => {
    const limiter = new AdaptiveConcurrency({ ceiling: 16, initial: 16 });
    // Sixteen requests in flight together, all refused: one decrease, not sixteen.
    await burst(limiter, 16, () => ({ kind: "overloaded" }));
    expect(limiter.level).toBe(8);
    // The next refusal, sent after that decrease, halves again.
    await burst(limiter, 1, () => ({ kind: "overloaded" }));
    expect(limiter.level).toBe(4);
  });

  it("backs off on 5xx and timeouts too, and never below one request", async () => {
    const limiter = new AdaptiveConcurrency({ ceiling: 8, initial: 8 });
    for (let i = 0; i < 6; i++) await burst(limiter, 1, () => ({ kind: "failed" }));
    expect(limiter.level).toBe(1);
    const peak = await burst(limiter, 5, () => ({ kind: "failed" }));
    expect(peak).toBe(1);
    expect(limiter.level).toBe(1);
  });

  it("starts no request until a 429's Retry-After has passed", async () => {
    const limiter = new AdaptiveConcurrency({ ceiling: 4, initial: 4 });
    const refusedAt = Date.now();
    await limiter.run(async (report) => report({ kind: "overloaded", retryAfterMs: 200 }));
    const startedAt = await Promise.all([1, 2, 3].map(() => limiter.run(async (report) => (report({ kind: "ok" }), Date.now()))));
    for (const at of startedAt) expect(at - refusedAt).toBeGreaterThanOrEqual(190);
  });

  it("caps a server's pause at maxHoldMs", async () => {
    const limiter = new AdaptiveConcurrency({ ceiling: 2, maxHoldMs: 50 });
    await limiter.run(async (report) => report({ kind: "overloaded", retryAfterMs: 60_000 }));
    const before = Date.now();
    await limiter.run(async (report) => report({ kind: "ok" }));
    expect(Date.now() - before).toBeLessThan(30_000);
  });

  it("under mixed answers never has more requests in flight than the ceiling", async () => {
    const limiter = new AdaptiveConcurrency({ ceiling: 6, initial: 6 });
    const peak = await burst(limiter, 600, (index) => (index % 50 === 0 ? { kind: "overloaded" } : index % 77 === 0 ? { kind: "failed" } : { kind: "ok" }));
    expect(peak).toBeLessThanOrEqual(6);
    expect(limiter.level).toBeGreaterThanOrEqual(1);
    expect(limiter.level).toBeLessThanOrEqual(6);
  });
});
