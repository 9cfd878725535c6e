import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createKeyedThrottle } from "./keyed-throttle";

describe("createKeyedThrottle", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs a burst once after the burst window, then at most once per interval, per key", () => {
    const runs: Array<[string, number]> = [];
    const t = createKeyedThrottle({ burstMs: 300, minIntervalMs: 3_000, run: (key) => runs.push([key, Date.now()]), now: () => Date.now() });
    const start = Date.now();
    for (let i = 0; i < 100; i++) t.poke("a");
    t.poke("b");
    vi.advanceTimersByTime(300);
    expect(runs).toEqual([["a", start + 300], ["b", start + 300]]);
    // A steady stream of pokes: one run per interval, never more.
    for (let ms = 0; ms < 10_000; ms += 100) {
      t.poke("a");
      vi.advanceTimersByTime(100);
    }
    const times = runs.filter(([key]) => key === "a").map(([, at]) => at - start);
    expect(times).toEqual([300, 3_300, 6_300, 9_300]);
    // The last pokes are not lost: a run follows them.
    vi.advanceTimersByTime(3_000);
    expect(runs.filter(([key]) => key === "a").at(-1)![1] - start).toBe(12_300);
    t.close();
  });

  it("forgets a cancelled key's pending run", () => {
    const run = vi.fn();
    const t = createKeyedThrottle({ burstMs: 300, minIntervalMs: 3_000, run });
    t.poke("a");
    t.cancel("a");
    vi.advanceTimersByTime(1_000);
    expect(run).not.toHaveBeenCalled();
  });
});
