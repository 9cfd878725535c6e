import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyBundle, freePort, logLines, runsAsRoot, startBundle, waitFor, type BundleCopy } from "./bundle-process";

const AUTH_SECRET = "bundle-test-secret-0123456789abcdef-0123";

/** What the Deployment sets (deploy/base), minus the cluster: the image's own defaults do the rest. */
function imageEnv(copy: BundleCopy, port: number): Record<string, string> {
  return {
    NODE_ENV: "production",
    PORT: String(port),
    DATABASE_URL: `file:${copy.data}/pullkeeper.db`,
    AUTH_SECRET,
    PULLKEEPER_PUBLIC_URL: `http://127.0.0.1:${port}`,
    PULLKEEPER_SHUTDOWN_TIMEOUT_SECONDS: "5",
    LOG_LEVEL: "info",
  };
}

describe("the standalone bundle, run as the image runs it", () => {
  let copy: BundleCopy;
  beforeAll(() => {
    copy = copyBundle();
  });
  afterAll(() => copy?.remove());

  it("starts read-only as a non-root user: ready, live, a sign-in answer, one line saying what it connected to, and a clean SIGTERM", async () => {
    const port = await freePort();
    const server = startBundle(copy, imageEnv(copy, port));
    try {
      const ready = await waitFor(`http://127.0.0.1:${port}/api/health/ready`, 200, 60_000, server);
      expect(await ready.json()).toEqual({ status: "ready" });
      const live = await fetch(`http://127.0.0.1:${port}/api/health/live`);
      expect(live.status).toBe(200);
      expect(await live.json()).toEqual({ status: "ok" });
      // No user exists yet: sign-in sends the first visitor to the one-time setup page, which renders.
      const signIn = await fetch(`http://127.0.0.1:${port}/sign-in`, { redirect: "manual" });
      expect([200, 307]).toContain(signIn.status);
      const setup = await fetch(`http://127.0.0.1:${port}/setup`);
      expect(setup.status).toBe(200);
      expect(await setup.text()).toContain("<html");

      const started = logLines(server.output()).filter((line) => line.msg === "pullkeeper started");
      expect(started).toHaveLength(1);
      expect(started[0]).toMatchObject({ database: `sqlite ${copy.data}/pullkeeper.db`, migrate: true, clusters: [], ibmCloud: "not configured" });
      expect(server.output()).not.toContain(AUTH_SECRET);
      // Everything written went to the data directory (the bundle copy is read-only).
      expect(fs.readdirSync(copy.data)).toContain("pullkeeper.db");
      if (runsAsRoot()) expect(fs.statSync(path.join(copy.data, "pullkeeper.db")).uid).toBe(65532);

      server.process.kill("SIGTERM");
      expect(await server.exited).toBe(0);
      expect(logLines(server.output()).some((line) => String(line.msg).startsWith("shutting down: no new workflow steps"))).toBe(true);
    } finally {
      server.process.kill("SIGKILL");
    }
  });

  it("refuses to start with a clear message when migrations are pending and PULLKEEPER_MIGRATE=false", async () => {
    const port = await freePort();
    const env = { ...imageEnv(copy, port), DATABASE_URL: `file:${copy.data}/unmigrated.db`, PULLKEEPER_MIGRATE: "false" };
    const server = startBundle(copy, env);
    expect(await server.exited).toBe(1);
    const fatal = logLines(server.output()).find((line) => line.msg === "pullkeeper cannot start");
    expect(fatal?.err).toMatch(/PULLKEEPER_MIGRATE=false forbids applying them at start.*npm run db:migrate/);
    expect(fatal?.err).toMatch(/\d{14}_\w+/);
  });

  it("names a malformed setting, an unreachable database and a read-only data directory instead of crash-looping silently", async () => {
    const bad = startBundle(copy, { ...imageEnv(copy, await freePort()), PULLKEEPER_KUBE_TIMEOUT_MS: "soon" });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toMatch(/PULLKEEPER_KUBE_TIMEOUT_MS: expected a whole number/);

    const closed = await freePort();
    const env = { ...imageEnv(copy, await freePort()), DATABASE_URL: `postgresql://pullkeeper:db-password-canary@127.0.0.1:${closed}/pullkeeper` };
    const unreachable = startBundle(copy, env);
    expect(await unreachable.exited).toBe(1);
    const fatal = logLines(unreachable.output()).find((line) => line.msg === "pullkeeper cannot start");
    expect(fatal).toMatchObject({ database: `postgresql 127.0.0.1:${closed}/pullkeeper` });
    expect(unreachable.output()).not.toContain("db-password-canary");

    // A data directory the image's user cannot write (here: inside the read-only bundle).
    const readOnly = startBundle(copy, { ...imageEnv(copy, await freePort()), DATABASE_URL: `file:${copy.app}/pullkeeper.db` });
    expect(await readOnly.exited).toBe(1);
    expect(logLines(readOnly.output()).find((line) => line.msg === "pullkeeper cannot start")).toMatchObject({ database: `sqlite ${copy.app}/pullkeeper.db`, err: expect.any(String) });
  });
});
