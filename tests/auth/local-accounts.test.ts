import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CREDENTIAL_CANARY } from "@/sim/demo-credentials";
import { PROVIDERS } from "../support/databases";
import { authRequest, createAuthHarness, sessionUser, signIn, type AuthHarness } from "./support";

const PASSWORD = `pass-${CREDENTIAL_CANARY}-phrase`;

describe.each(PROVIDERS)("local accounts on %s", (provider) => {
  let h: AuthHarness;

  beforeAll(async () => {
    h = await createAuthHarness(provider, {
      throttle: { account: { maxFailures: 3, windowMs: 60_000, initialDelayMs: 100, maxDelayMs: 400 }, address: { maxFailures: 6, windowMs: 60_000 } },
    });
    await h.service.users.createLocalUser({ email: "Ops@Example.com", name: "Olga Ops", role: "operator", clusters: ["regional"], password: PASSWORD });
  });

  afterAll(async () => h?.close());

  it("signs in with a session cookie that is HTTP-only, SameSite and expiring, and signs out for real", async () => {
    const { response, jar } = await signIn(h.service, "ops@example.com", PASSWORD);
    expect(response.status).toBe(200);
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith("pullkeeper.session_token="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Max-Age=3600/i);
    expect(cookie).toMatch(/Path=\//);
    const user = await sessionUser(h.service, jar);
    expect(user).toMatchObject({ email: "ops@example.com", role: "operator", clusters: '["regional"]' });

    const stolen = new Map(jar);
    const out = await authRequest(h.service, "/sign-out", { method: "POST", body: {}, jar });
    expect(out.status).toBe(200);
    expect(jar.has("pullkeeper.session_token")).toBe(false);
    // The session row is gone, so a copy of the old cookie is worthless too.
    expect(await sessionUser(h.service, stolen)).toBeNull();
  });

  it("refuses public sign-up", async () => {
    const response = await authRequest(h.service, "/sign-up/email", { body: { email: "new@example.com", password: "a-long-password-here", name: "New" } });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await h.service.users.findByEmail("new@example.com")).toBeNull();
  });

  it("ends sessions at their expiry", async () => {
    const { jar } = await signIn(h.service, "ops@example.com", PASSWORD, "198.51.100.2");
    const row = await h.connection.prisma.session.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
    const lifetime = row.expiresAt.getTime() - row.createdAt.getTime();
    expect(Math.abs(lifetime - 3600_000)).toBeLessThan(5_000);
    expect(await sessionUser(h.service, jar)).not.toBeNull();
    await h.connection.prisma.session.update({ where: { id: row.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await sessionUser(h.service, jar)).toBeNull();
  });

  it("refuses an account's failures from one address, then lets them through after the window", async () => {
    for (let i = 0; i < 3; i++) {
      const { response } = await signIn(h.service, "ops@example.com", "wrong-password-123", "203.0.113.1");
      expect(response.status).toBe(401);
    }
    // Even the right password is refused from that address now.
    const { response: refused } = await signIn(h.service, "ops@example.com", PASSWORD, "203.0.113.1");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.text()).toMatch(/Too many failed sign-in attempts/);
    h.advance(61_000);
    const { response: later } = await signIn(h.service, "ops@example.com", PASSWORD, "203.0.113.1");
    expect(later.status).toBe(200);
  });

  it("slows, but never refuses, the right password from a new address after failures from elsewhere", async () => {
    for (let i = 0; i < 5; i++) {
      const { response } = await signIn(h.service, "ops@example.com", "wrong-password-123", `203.0.113.${10 + i}`);
      expect(response.status).toBe(401);
    }
    const started = Date.now();
    const { response } = await signIn(h.service, "ops@example.com", PASSWORD, "198.51.100.77");
    expect(response.status).toBe(200);
    // Past the limit of 3: initial delay 100 ms doubling per failure (3rd over → 400 ms), capped at 400 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
  });

  it("throttles an address that tries many accounts", async () => {
    for (let i = 0; i < 6; i++) await signIn(h.service, `nobody${i}@example.com`, "wrong-password-123", "192.0.2.50");
    const { response } = await signIn(h.service, "ops@example.com", PASSWORD, "192.0.2.50");
    expect(response.status).toBe(429);
    const { response: elsewhere } = await signIn(h.service, "ops@example.com", PASSWORD, "192.0.2.51");
    expect(elsewhere.status).toBe(200);
  });

  it("blocks a deactivated user and revokes their sessions at once", async () => {
    const created = await h.service.users.createLocalUser({ email: "temp@example.com", name: "Temp", role: "viewer", clusters: null, password: PASSWORD });
    const { jar } = await signIn(h.service, "temp@example.com", PASSWORD, "198.51.100.3");
    expect(await sessionUser(h.service, jar)).not.toBeNull();
    await h.service.users.deactivate(created.id);
    expect(await sessionUser(h.service, jar)).toBeNull();
    const { response } = await signIn(h.service, "temp@example.com", PASSWORD, "198.51.100.3");
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/deactivated/);
    await h.service.users.reactivate(created.id);
    expect((await signIn(h.service, "temp@example.com", PASSWORD, "198.51.100.3")).response.status).toBe(200);
  });

  it("stores only a scrypt hash and never shows the password", async () => {
    const account = await h.connection.prisma.account.findFirstOrThrow({ where: { providerId: "credential", user: { email: "ops@example.com" } } });
    expect(account.password).not.toContain(CREDENTIAL_CANARY);
    // better-auth's scrypt format: 16-byte salt and 64-byte key, hex.
    expect(account.password).toMatch(/^[0-9a-f]{32}:[0-9a-f]{128}$/);
    const listed = JSON.stringify(await h.service.users.list());
    expect(listed).not.toContain(CREDENTIAL_CANARY);
    expect(listed).not.toContain(account.password);
    expect(JSON.stringify(h.logs)).not.toContain(CREDENTIAL_CANARY);
    if (h.scratch.file) {
      for (const file of [h.scratch.file, `${h.scratch.file}-wal`]) {
        if (fs.existsSync(file)) expect(fs.readFileSync(file).includes(CREDENTIAL_CANARY)).toBe(false);
      }
    }
  });

  it("applies the password policy when an admin creates a user", async () => {
    await expect(
      h.service.users.createLocalUser({ email: "weak@example.com", name: "Weak", role: "viewer", clusters: null, password: "short" }),
    ).rejects.toMatchObject({ kind: "invalid", fieldErrors: { password: [expect.stringMatching(/at least 12/)] } });
    await expect(
      h.service.users.createLocalUser({ email: "OPS@example.com", name: "Dup", role: "viewer", clusters: null, password: PASSWORD }),
    ).rejects.toMatchObject({ fieldErrors: { email: [expect.any(String)] } });
  });
});
