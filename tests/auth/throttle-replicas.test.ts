/**
 * Sign-in throttling across replicas: two auth services, each with its own
 * connection, on one database stand for two Pullkeeper server processes. The
 * failures are counted in the database, so the limits hold for the pair, not
 * for each.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuthService } from "@/lib/auth/service";
import { throttleKey, type ThrottleScope } from "@/lib/auth/throttle";
import { CREDENTIAL_CANARY } from "@/sim/demo-credentials";
import { PROVIDERS } from "../support/databases";
import { createAuthHarness, signIn, TEST_SECRET, type AuthHarness } from "./support";

const PASSWORD = "replica test passphrase";
const WRONG = "wrong-password-123";

describe.each(PROVIDERS)("sign-in throttling shared by replicas on %s", (provider) => {
  let h: AuthHarness;
  let first: AuthService;
  let second: AuthService;

  const failuresUnder = (scope: ThrottleScope, value: string) =>
    h.connection.prisma.signInFailure.count({ where: { key: throttleKey(scope, value, TEST_SECRET) } });

  beforeAll(async () => {
    h = await createAuthHarness(provider, {
      throttle: { account: { maxFailures: 4, windowMs: 60_000, initialDelayMs: 200, maxDelayMs: 200 }, address: { maxFailures: 6, windowMs: 60_000 } },
    });
    first = h.service;
    second = await h.replica();
    for (const name of ["ada", "bea", "cy", "dot"]) {
      await first.users.createLocalUser({ email: `${name}@example.com`, name, role: "viewer", clusters: null, password: PASSWORD });
    }
  });

  afterAll(async () => h?.close());

  it("counts an account's failures from one address on either replica towards one limit", async () => {
    for (let i = 0; i < 4; i++) {
      const replica = i % 2 === 0 ? first : second;
      expect((await signIn(replica, "ada@example.com", WRONG, "203.0.113.1")).response.status).toBe(401);
    }
    // Two failures on each: neither replica alone reached four, together they did.
    for (const replica of [first, second]) {
      const { response } = await signIn(replica, "ada@example.com", PASSWORD, "203.0.113.1");
      expect(response.status).toBe(429);
      expect(await response.text()).toMatch(/Too many failed sign-in attempts\. Try again in a minute\./);
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    // From elsewhere the account is slowed (both replicas see its four failures), not refused.
    const started = Date.now();
    expect((await signIn(second, "ada@example.com", PASSWORD, "203.0.113.50")).response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    h.advance(61_000);
    expect((await signIn(second, "ada@example.com", PASSWORD, "203.0.113.1")).response.status).toBe(200);
  });

  it("counts an address's failures on either replica towards one limit", async () => {
    for (let i = 0; i < 6; i++) await signIn(i % 2 === 0 ? first : second, `nobody${i}@example.com`, WRONG, "192.0.2.60");
    for (const replica of [first, second]) {
      expect((await signIn(replica, "bea@example.com", PASSWORD, "192.0.2.60")).response.status).toBe(429);
    }
    expect((await signIn(first, "bea@example.com", PASSWORD, "192.0.2.61")).response.status).toBe(200);
  });

  it("lets a success on one replica clear the account's count for the other", async () => {
    for (let i = 0; i < 3; i++) await signIn(first, "cy@example.com", WRONG, `198.51.100.${10 + i}`);
    expect((await signIn(second, "cy@example.com", PASSWORD, "198.51.100.20")).response.status).toBe(200);
    expect(await failuresUnder("account", "cy@example.com")).toBe(0);
    for (let i = 0; i < 3; i++) await signIn(first, "cy@example.com", WRONG, `198.51.100.${30 + i}`);
    expect((await signIn(second, "cy@example.com", PASSWORD, "198.51.100.40")).response.status).toBe(200);
  });

  it("keeps every failure two replicas record at the same moment", async () => {
    const keys = { account: "dot@example.com", address: "192.0.2.70" };
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? first : second).throttle.recordFailure(keys)));
    expect(await failuresUnder("account", "dot@example.com")).toBe(20);
    expect(await failuresUnder("address", "192.0.2.70")).toBe(20);
    expect(await failuresUnder("account-address", "dot@example.com 192.0.2.70")).toBe(20);
    for (const replica of [first, second]) {
      expect(await replica.throttle.check({ account: "DOT@example.com", address: "192.0.2.70" })).toMatchObject({ allowed: false });
      expect(await replica.throttle.check({ account: "DOT@example.com", address: "192.0.2.71" })).toEqual({ allowed: true, delayMs: 200 });
    }
  });

  it("stores keyed hashes only, never what was typed into the email field", async () => {
    // better-auth refuses what is not shaped like an email (400, not counted); a password run into the address is.
    const typo = `ada@example.com${CREDENTIAL_CANARY}.test`;
    const traces = [CREDENTIAL_CANARY, CREDENTIAL_CANARY.toLowerCase()];
    expect((await signIn(second, typo, WRONG, "192.0.2.80")).response.status).toBe(401);
    const rows = await h.connection.prisma.signInFailure.findMany();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.key).toMatch(/^[0-9a-f]{64}$/);
    for (const trace of traces) expect(JSON.stringify(rows)).not.toContain(trace);
    expect(await failuresUnder("account", typo)).toBe(1);
    if (h.scratch.file) {
      for (const file of [h.scratch.file, `${h.scratch.file}-wal`]) {
        if (!fs.existsSync(file)) continue;
        const bytes = fs.readFileSync(file);
        for (const trace of traces) expect(bytes.includes(trace)).toBe(false);
      }
    }
  });

  it("prunes failures older than the longest window when the next one is recorded", async () => {
    const before = await h.connection.prisma.signInFailure.count();
    expect(before).toBeGreaterThan(2);
    h.advance(60_000);
    await second.throttle.recordFailure({ account: "late@example.com", address: "192.0.2.90" });
    // One row each under the account, the account and address, and the address.
    expect(await h.connection.prisma.signInFailure.count()).toBe(3);
  });
});
