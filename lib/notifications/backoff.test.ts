import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_POLICY, outcomeOfStatus, retryDelayMs } from "./backoff";

describe("retry delays", () => {
  it("doubles from 30 s and gives up after the eighth attempt, about an hour in all", () => {
    const middle = () => 0.5;
    const delays = [1, 2, 3, 4, 5, 6, 7].map((attempt) => retryDelayMs(attempt, DEFAULT_RETRY_POLICY, middle));
    expect(delays).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000]);
    expect(retryDelayMs(8, DEFAULT_RETRY_POLICY, middle)).toBeNull();
    const total = delays.reduce<number>((sum, delay) => sum + delay!, 0);
    expect(total / 60_000).toBeCloseTo(63.5, 1);
  });

  it("spreads each wait over ±20 %", () => {
    expect(retryDelayMs(1, DEFAULT_RETRY_POLICY, () => 0)).toBe(24_000);
    expect(retryDelayMs(1, DEFAULT_RETRY_POLICY, () => 0.999_999)).toBe(36_000);
  });

  it("follows a smaller policy (tests, or an impatient operator)", () => {
    const policy = { maxAttempts: 3, baseDelayMs: 100, jitter: 0 };
    expect([1, 2, 3].map((attempt) => retryDelayMs(attempt, policy))).toEqual([100, 200, null]);
  });
});

describe("answers", () => {
  it("counts any 2xx as delivered", () => {
    expect(outcomeOfStatus(200, "OK")).toEqual({ kind: "delivered", statusCode: 200 });
    expect(outcomeOfStatus(204, "")).toEqual({ kind: "delivered", statusCode: 204 });
  });

  it("retries server errors, timeouts and rate limits", () => {
    for (const status of [500, 502, 503, 408, 429]) expect(outcomeOfStatus(status, "x").kind).toBe("retry");
  });

  it("does not retry what another attempt cannot change: other 4xx and redirects", () => {
    expect(outcomeOfStatus(404, "Not Found")).toMatchObject({ kind: "failed", statusCode: 404 });
    expect(outcomeOfStatus(401, "Unauthorized").kind).toBe("failed");
    const redirect = outcomeOfStatus(302, "Found");
    expect(redirect).toMatchObject({ kind: "failed", statusCode: 302 });
    expect(redirect.kind !== "delivered" && redirect.error).toMatch(/redirects are not followed/);
  });
});
