/**
 * The session cache (lib/auth/session-cache.ts) against the real auth service and
 * database: within its time to live, a sign-out, role change, cluster change,
 * deactivation or direct row write through this process still applies on the very
 * next request, because every write to users, sessions or accounts empties it.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  const dir = `/tmp/pullkeeper-session-cache-${process.pid}-${Date.now()}`;
  process.env.DATABASE_URL = `file:${dir}/pullkeeper.db`;
  process.env.AUTH_SECRET = "session-cache-test-secret-0123456789abcdef";
  process.env.PULLKEEPER_PUBLIC_URL = "http://pullkeeper.test";
  process.env.LOG_LEVEL = "silent";
  // Long enough that only invalidation, never expiry, can explain a fresh answer below.
  process.env.AUTH_SESSION_CACHE_SECONDS = "60";
});

import { accessFromHeaders } from "@/lib/auth/session";
import { authService } from "@/lib/auth/service";
import { database } from "@/lib/db";

const PASSWORD = "session-cache-passphrase-1234";
let count = 0;

async function signedIn(role: "viewer" | "operator" | "admin" = "operator") {
  const { users, auth } = await authService();
  const email = `person-${++count}@example.com`;
  const created = await users.createLocalUser({ email, name: `Person ${count}`, role, clusters: null, password: PASSWORD });
  const { headers } = await auth.api.signInEmail({ body: { email, password: PASSWORD }, returnHeaders: true });
  const cookie = headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
  return { id: created.id, headers: () => new Headers({ cookie }) };
}

beforeAll(async () => {
  // Another admin with every cluster, so one below may be demoted.
  await (await authService()).users.createLocalUser({ email: "keeper@example.com", name: "Keeper", role: "admin", clusters: null, password: PASSWORD });
});

afterAll(async () => {
  const dir = process.env.DATABASE_URL!.replace(/^file:/, "").replace(/\/pullkeeper\.db$/, "");
  await (await database()).close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the session cache honours every change at once on this replica", () => {
  it("answers from the cache: a change this process cannot see (another replica's) waits for the time to live", async () => {
    const person = await signedIn();
    expect(await accessFromHeaders(person.headers())).toMatchObject({ kind: "user", user: { role: "operator" } });
    const { prisma } = await database();
    // Raw SQL passes no model operation through the client, as a write by another replica would not.
    await prisma.$executeRawUnsafe(`UPDATE "auth_user" SET "role" = 'viewer' WHERE "id" = ?`, person.id);
    expect(await accessFromHeaders(person.headers())).toMatchObject({ kind: "user", user: { role: "operator" } });
    // Any write through the client (here an unrelated user's) empties the cache.
    await signedIn();
    expect(await accessFromHeaders(person.headers())).toMatchObject({ kind: "user", user: { role: "viewer" } });
  });

  it("a role change and a cluster limit apply on the next request", async () => {
    const person = await signedIn("admin");
    expect(await accessFromHeaders(person.headers())).toMatchObject({ user: { role: "admin", clusters: null } });
    const { users } = await authService();
    await users.changeRole(person.id, "viewer");
    expect(await accessFromHeaders(person.headers())).toMatchObject({ user: { role: "viewer" } });
    await users.setClusters(person.id, ["regional"]);
    expect(await accessFromHeaders(person.headers())).toMatchObject({ user: { role: "viewer", clusters: ["regional"] } });
  });

  it("a deactivation and a sign-out end access on the next request", async () => {
    const leaving = await signedIn();
    expect(await accessFromHeaders(leaving.headers())).not.toBeNull();
    await (await authService()).users.deactivate(leaving.id);
    expect(await accessFromHeaders(leaving.headers())).toBeNull();

    const out = await signedIn();
    expect(await accessFromHeaders(out.headers())).not.toBeNull();
    const { auth } = await authService();
    await auth.api.signOut({ headers: out.headers() });
    expect(await accessFromHeaders(out.headers())).toBeNull();
  });

  it("a direct write to the rows (an expired session, a pending role) applies on the next request", async () => {
    const person = await signedIn();
    expect(await accessFromHeaders(person.headers())).toMatchObject({ kind: "user" });
    const { prisma } = await database();
    await prisma.user.update({ where: { id: person.id }, data: { role: "pending" } });
    expect(await accessFromHeaders(person.headers())).toMatchObject({ kind: "pending" });
    await prisma.session.updateMany({ where: { userId: person.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await accessFromHeaders(person.headers())).toBeNull();
  });

  it("shares no answer between two sessions, and none for a tampered cookie", async () => {
    const ada = await signedIn("admin");
    const bob = await signedIn("viewer");
    expect(await accessFromHeaders(ada.headers())).toMatchObject({ user: { role: "admin" } });
    expect(await accessFromHeaders(bob.headers())).toMatchObject({ user: { role: "viewer" } });
    // Over HTTP better-auth reads only the plain cookie: a __Secure- one beside it must not become the cache's key.
    const token = (headers: Headers) => /pullkeeper\.session_token=([^;]+)/.exec(headers.get("cookie")!)![1]!;
    const mixed = new Headers({ cookie: `__Secure-pullkeeper.session_token=${token(bob.headers())}; pullkeeper.session_token=${token(ada.headers())}` });
    expect(await accessFromHeaders(mixed)).toMatchObject({ user: { role: "admin" } });
    expect(await accessFromHeaders(bob.headers())).toMatchObject({ user: { role: "viewer" } });
    const tampered = new Headers({ cookie: ada.headers().get("cookie")!.replace(/.$/, (last) => (last === "A" ? "B" : "A")) });
    expect(await accessFromHeaders(tampered)).toBeNull();
  });
});
