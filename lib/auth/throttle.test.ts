import { describe, expect, it } from "vitest";
import { SignInThrottle } from "./throttle";

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const rules = { account: { maxFailures: 3, windowMs: 60_000 }, address: { maxFailures: 5, windowMs: 60_000 } };

describe("SignInThrottle", () => {
  it("refuses an account after its failures reach the limit, whatever the address", () => {
    const time = clock();
    const throttle = new SignInThrottle(rules, time.now);
    for (let i = 0; i < 3; i++) {
      expect(throttle.check({ account: "alice@example.com", address: `10.0.0.${i}` }).allowed).toBe(true);
      throttle.recordFailure({ account: "alice@example.com", address: `10.0.0.${i}` });
    }
    const verdict = throttle.check({ account: "ALICE@example.com ", address: "10.9.9.9" });
    expect(verdict).toEqual({ allowed: false, retryAfterSeconds: 60, limitedBy: "account" });
    expect(throttle.check({ account: "bob@example.com", address: "10.9.9.9" }).allowed).toBe(true);
  });

  it("refuses an address that sprays many accounts", () => {
    const throttle = new SignInThrottle(rules, clock().now);
    for (let i = 0; i < 5; i++) throttle.recordFailure({ account: `user${i}@example.com`, address: "192.0.2.7" });
    const verdict = throttle.check({ account: "new@example.com", address: "192.0.2.7" });
    expect(verdict.allowed).toBe(false);
    expect(verdict.allowed === false && verdict.limitedBy).toBe("address");
    expect(throttle.check({ account: "new@example.com", address: "192.0.2.8" }).allowed).toBe(true);
  });

  it("lets attempts through again as failures leave the sliding window", () => {
    const time = clock();
    const throttle = new SignInThrottle(rules, time.now);
    throttle.recordFailure({ account: "a@x", address: null });
    time.advance(30_000);
    throttle.recordFailure({ account: "a@x", address: null });
    throttle.recordFailure({ account: "a@x", address: null });
    const refused = throttle.check({ account: "a@x", address: null });
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 30 });
    time.advance(30_001);
    expect(throttle.check({ account: "a@x", address: null }).allowed).toBe(true);
  });

  it("clears the account's count on success but keeps the address's", () => {
    const throttle = new SignInThrottle({ account: rules.account, address: { maxFailures: 3, windowMs: 60_000 } }, clock().now);
    throttle.recordFailure({ account: "a@x", address: "10.0.0.1" });
    throttle.recordFailure({ account: "a@x", address: "10.0.0.1" });
    throttle.recordSuccess({ account: "a@x", address: "10.0.0.1" });
    throttle.recordFailure({ account: "a@x", address: "10.0.0.1" });
    expect(throttle.check({ account: "a@x", address: "10.0.0.2" }).allowed).toBe(true);
    expect(throttle.check({ account: "b@x", address: "10.0.0.1" })).toMatchObject({ allowed: false, limitedBy: "address" });
  });
});
