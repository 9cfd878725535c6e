import { describe, expect, it } from "vitest";
import { accountDelayMs, combineVerdicts, createSignInThrottle, scopeVerdict, throttleKey, type FailureLog } from "./throttle";

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** The FailureLog contract in memory, so the rules run without a database (the Prisma log is tested in tests/auth). */
function memoryLog() {
  let rows: Array<{ key: string; at: number }> = [];
  const log: FailureLog = {
    newest: async (key, since, limit) =>
      rows
        .filter((row) => row.key === key && row.at > since)
        .map((row) => row.at)
        .sort((a, b) => b - a)
        .slice(0, limit),
    add: async (keys, at) => void rows.push(...keys.map((key) => ({ key, at }))),
    clear: async (key) => void (rows = rows.filter((row) => row.key !== key)),
    prune: async (cutoff) => void (rows = rows.filter((row) => row.at > cutoff)),
  };
  return { log, rows: () => rows };
}

const SECRET = "unit-test-secret-0123456789abcdef";
const account = { maxFailures: 3, windowMs: 60_000, initialDelayMs: 1_000, maxDelayMs: 4_000 };
const rules = { account, address: { maxFailures: 5, windowMs: 60_000 } };

function throttleWith(options: { rules?: typeof rules; time?: ReturnType<typeof clock> } = {}) {
  const memory = memoryLog();
  const time = options.time ?? clock();
  const throttle = createSignInThrottle({ log: memory.log, secret: SECRET, rules: options.rules ?? rules, now: time.now });
  return { throttle, time, rows: memory.rows };
}

describe("SignInThrottle", () => {
  it("refuses an account from an address after their failures reach the limit", async () => {
    const { throttle } = throttleWith();
    for (let i = 0; i < 3; i++) {
      expect((await throttle.check({ account: "alice@example.com", address: "10.0.0.1" })).allowed).toBe(true);
      await throttle.recordFailure({ account: "alice@example.com", address: "10.0.0.1" });
    }
    const verdict = await throttle.check({ account: "ALICE@example.com ", address: "10.0.0.1" });
    expect(verdict).toEqual({ allowed: false, retryAfterSeconds: 60, limitedBy: "account-address" });
    expect((await throttle.check({ account: "bob@example.com", address: "10.0.0.1" })).allowed).toBe(true);
  });

  it("slows an account's attempts from other addresses past its limit instead of refusing them", async () => {
    const { throttle } = throttleWith();
    const delays: Array<number | undefined> = [];
    for (let i = 0; i < 6; i++) {
      const verdict = await throttle.check({ account: "alice@example.com", address: `10.0.1.${i}` });
      expect(verdict.allowed).toBe(true);
      delays.push(verdict.allowed ? verdict.delayMs : -1);
      await throttle.recordFailure({ account: "alice@example.com", address: `10.0.1.${i}` });
    }
    // Three failures are free, then 1 s doubling per failure, capped at 4 s.
    expect(delays).toEqual([undefined, undefined, undefined, 1_000, 2_000, 4_000]);
    expect(await throttle.check({ account: "alice@example.com", address: "10.9.9.9" })).toEqual({ allowed: true, delayMs: 4_000 });
    await throttle.recordSuccess({ account: "alice@example.com", address: "10.9.9.9" });
    expect(await throttle.check({ account: "alice@example.com", address: "10.0.1.0" })).toEqual({ allowed: true });
  });

  it("refuses an address that sprays many accounts", async () => {
    const { throttle } = throttleWith();
    for (let i = 0; i < 5; i++) await throttle.recordFailure({ account: `user${i}@example.com`, address: "192.0.2.7" });
    const verdict = await throttle.check({ account: "new@example.com", address: "192.0.2.7" });
    expect(verdict.allowed).toBe(false);
    expect(verdict.allowed === false && verdict.limitedBy).toBe("address");
    expect((await throttle.check({ account: "new@example.com", address: "192.0.2.8" })).allowed).toBe(true);
  });

  it("lets attempts through again as failures leave the sliding window", async () => {
    const { throttle, time } = throttleWith();
    await throttle.recordFailure({ account: "a@x", address: null });
    // Without an address the account's attempts share one hard-limited bucket.
    time.advance(30_000);
    await throttle.recordFailure({ account: "a@x", address: null });
    await throttle.recordFailure({ account: "a@x", address: null });
    const refused = await throttle.check({ account: "a@x", address: null });
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 30 });
    time.advance(30_001);
    expect((await throttle.check({ account: "a@x", address: null })).allowed).toBe(true);
  });

  it("clears the account's count on success but keeps the address's", async () => {
    const { throttle } = throttleWith({ rules: { account: rules.account, address: { maxFailures: 3, windowMs: 60_000 } } });
    await throttle.recordFailure({ account: "a@x", address: "10.0.0.1" });
    await throttle.recordFailure({ account: "a@x", address: "10.0.0.1" });
    await throttle.recordSuccess({ account: "a@x", address: "10.0.0.1" });
    await throttle.recordFailure({ account: "a@x", address: "10.0.0.1" });
    expect((await throttle.check({ account: "a@x", address: "10.0.0.2" })).allowed).toBe(true);
    expect(await throttle.check({ account: "b@x", address: "10.0.0.1" })).toMatchObject({ allowed: false, limitedBy: "address" });
  });

  it("makes the longest wait win when account and address are both refused", async () => {
    const { throttle, time } = throttleWith({ rules: { account: { ...account, maxFailures: 2 }, address: { maxFailures: 2, windowMs: 120_000 } } });
    await throttle.recordFailure({ account: "a@x", address: "10.0.0.1" });
    await throttle.recordFailure({ account: "a@x", address: "10.0.0.1" });
    time.advance(10_000);
    expect(await throttle.check({ account: "a@x", address: "10.0.0.1" })).toEqual({ allowed: false, retryAfterSeconds: 110, limitedBy: "address" });
  });

  it("prunes failures older than the longest window when recording, and stores only keyed hashes", async () => {
    const { throttle, time, rows } = throttleWith({ rules: { account: rules.account, address: { maxFailures: 5, windowMs: 120_000 } } });
    await throttle.recordFailure({ account: "My-Password-Typo", address: "10.0.0.1" });
    time.advance(120_000);
    await throttle.recordFailure({ account: "b@x", address: "10.0.0.2" });
    expect(rows()).toHaveLength(3);
    for (const { key } of rows()) expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows())).not.toMatch(/password|b@x|10\.0\.0/i);
  });
});

describe("throttleKey", () => {
  it("ignores the email's case and surrounding spaces, and depends on scope and secret", () => {
    expect(throttleKey("account", " Alice@Example.com ", SECRET)).toBe(throttleKey("account", "alice@example.com", SECRET));
    expect(throttleKey("account", "10.0.0.1", SECRET)).not.toBe(throttleKey("address", "10.0.0.1", SECRET));
    expect(throttleKey("account", "alice@example.com", SECRET)).not.toBe(throttleKey("account", "alice@example.com", `${SECRET}-other`));
  });
});

describe("verdict arithmetic", () => {
  it("doubles the account's delay per failure past its limit, up to the cap", () => {
    expect([2, 3, 4, 5, 6, 40].map((failures) => accountDelayMs(account, failures))).toEqual([0, 1_000, 2_000, 4_000, 4_000, 4_000]);
  });

  const rule = { maxFailures: 3, windowMs: 60_000 };

  it("waits until the oldest of the newest maxFailures failures leaves the window", () => {
    expect(scopeVerdict("account", rule, [50_000, 40_000], 60_000)).toEqual({ allowed: true });
    expect(scopeVerdict("account", rule, [50_000, 40_000, 10_000, 5_000], 60_000)).toEqual({ allowed: false, retryAfterSeconds: 10, limitedBy: "account" });
    expect(scopeVerdict("address", rule, [60_000, 60_000, 500], 60_400)).toEqual({ allowed: false, retryAfterSeconds: 1, limitedBy: "address" });
  });

  it("allows only when every scope allows, else keeps the longest refusal", () => {
    expect(combineVerdicts([{ allowed: true }, { allowed: true }])).toEqual({ allowed: true });
    expect(
      combineVerdicts([
        { allowed: false, retryAfterSeconds: 30, limitedBy: "account" },
        { allowed: true },
        { allowed: false, retryAfterSeconds: 90, limitedBy: "address" },
      ]),
    ).toEqual({ allowed: false, retryAfterSeconds: 90, limitedBy: "address" });
  });
});
