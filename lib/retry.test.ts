import { describe, expect, it } from "vitest";
import { retry } from "./retry";

const noWait = async () => {};

describe("retry", () => {
  it("repeats while delayMs asks for a wait and tries are left, passing the attempt number", async () => {
    const seen: number[] = [];
    const waits: number[] = [];
    const value = await retry(
      async (attempt) => {
        seen.push(attempt);
        if (attempt < 3) throw new Error(`fail ${attempt}`);
        return "ok";
      },
      { attempts: 4, delayMs: (_e, attempt) => attempt * 10, wait: async (ms) => void waits.push(ms) },
    );
    expect(value).toBe("ok");
    expect(seen).toEqual([1, 2, 3]);
    expect(waits).toEqual([10, 20]);
  });

  it("throws the last error unchanged when tries run out or delayMs gives up", async () => {
    const last = new Error("still down");
    let calls = 0;
    await expect(retry(async () => { calls++; throw last; }, { attempts: 3, delayMs: () => 0, wait: noWait })).rejects.toBe(last);
    expect(calls).toBe(3);
    calls = 0;
    await expect(retry(async () => { calls++; throw last; }, { attempts: 3, delayMs: () => undefined, wait: noWait })).rejects.toBe(last);
    expect(calls).toBe(1);
  });

  it("passes a thrown non-Error value through as it was", async () => {
    const thrown = { detail: { reason: "not an Error" } };
    await expect(retry(async () => Promise.reject(thrown), { attempts: 3, delayMs: () => 0, wait: noWait })).rejects.toBe(thrown);
  });

  it("stops waiting when the signal aborts and throws the last error", async () => {
    const controller = new AbortController();
    const last = new Error("unavailable");
    let calls = 0;
    const started = Date.now();
    const run = retry(async () => { calls++; throw last; }, { attempts: 3, delayMs: () => 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(run).rejects.toBe(last);
    expect(calls).toBe(1);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
