import { describe, expect, it } from "vitest";
import { IamError, type IamErrorKind } from "./errors";
import { retryDelayMs, withRetry } from "./retry";

const err = (kind: IamErrorKind, retryAfterSeconds?: number) => new IamError({ kind, operation: "list_policies", message: kind, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) });
const policy = { maxRetries: 2, maxDelayMs: 5_000, baseDelayMs: 100 };

describe("retry policy", () => {
  it("waits Retry-After for 429 on any call, up to the cap", () => {
    expect(retryDelayMs(err("rate_limited", 2), 0, false, policy)).toBe(2_000);
    expect(retryDelayMs(err("rate_limited", 6), 0, true, policy)).toBeUndefined();
    expect(retryDelayMs(err("rate_limited"), 0, true, policy)).toBe(1_000);
  });

  it("backs off on unavailable for idempotent calls only", () => {
    expect(retryDelayMs(err("unavailable"), 0, true, policy)).toBe(100);
    expect(retryDelayMs(err("unavailable"), 1, true, policy)).toBe(200);
    expect(retryDelayMs(err("unavailable"), 0, false, policy)).toBeUndefined();
    expect(retryDelayMs(err("unavailable"), 2, true, policy)).toBeUndefined();
  });

  it("never retries the other kinds", () => {
    for (const kind of ["unauthorized", "forbidden", "conflict", "not_found", "invalid"] as const) {
      expect(retryDelayMs(err(kind), 0, true, policy)).toBeUndefined();
    }
  });

  it("withRetry runs until success or the policy gives up", async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const value = await withRetry(
      async () => {
        calls += 1;
        if (calls < 3) throw err("unavailable");
        return "ok";
      },
      { idempotent: true, policy, sleep: async (ms) => void sleeps.push(ms) },
    );
    expect(value).toBe("ok");
    expect(sleeps).toEqual([100, 200]);
    await expect(withRetry(async () => Promise.reject(err("unavailable")), { idempotent: false, policy, sleep: async () => {} })).rejects.toMatchObject({ kind: "unavailable" });
    await expect(withRetry(async () => Promise.reject(new TypeError("bug")), { idempotent: true, policy, sleep: async () => {} })).rejects.toBeInstanceOf(TypeError);
  });
});
