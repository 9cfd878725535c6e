import { describe, expect, it } from "vitest";
import { createRateLimiter } from "./rate-limit";

describe("createRateLimiter", () => {
  it("allows `limit` uses per key in the window, then says when to come back", () => {
    let now = 0;
    const limiter = createRateLimiter({ limit: 2, windowMs: 60_000, now: () => now });
    expect(limiter.take("ada").allowed).toBe(true);
    now = 10_000;
    expect(limiter.take("ada").allowed).toBe(true);
    expect(limiter.take("ada")).toEqual({ allowed: false, retryAfterSeconds: 50 });
    expect(limiter.take("bea").allowed).toBe(true);
    now = 60_001;
    expect(limiter.take("ada").allowed).toBe(true);
  });
});
