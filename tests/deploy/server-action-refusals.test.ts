/**
 * Bad server-action requests against the standalone bundle: Next.js answers a
 * malformed, oversized or cross-origin one with HTTP 500 and a digest; the proxy
 * refuses them first with 400, 413 or 403, a short plain-text message (which
 * Next's client shows as the action's error) and one log line without the body.
 * Each request carries a real admin session and a well-formed user to create,
 * so a request that got through would leave a user behind.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callAction, serverActionIds, signIn, type AppSession } from "@/scripts/bench/app-client";
import { DEMO_USERS } from "@/lib/auth/demo-users";
import { copyBundle, freePort, IMAGE_UID, logLines, runsAsRoot, startBundle, waitFor, type BundleCopy, type RunningBundle } from "./bundle-process";

const ROOT = path.join(import.meta.dirname, "..", "..");
const AUTH_SECRET = "refusals-test-secret-0123456789abcdef-0123";
/** In every refused body: it must appear in no answer and no log line. */
const BODY_CANARY = "body-canary-7d1f0c";
const PAGE = "/admin/users";

let copy: BundleCopy;
let server: RunningBundle;
let baseUrl: string;
let session: AppSession;
let createUser: string;

const newUser = (email: string, name = "Refused") => ({ email, name, role: "viewer", password: `${BODY_CANARY}-Passphrase-1234` });

function post(body: BodyInit, headers: Record<string, string>, actionId = createUser) {
  return fetch(`${baseUrl}${PAGE}`, {
    method: "POST",
    headers: { "Next-Action": actionId, Accept: "text/x-component", Origin: baseUrl, Cookie: session.cookie, ...headers },
    body,
  });
}

function usersNamed(pattern: string): number {
  const db = new Database(path.join(copy.data, "pullkeeper.db"), { readonly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM auth_user WHERE email LIKE ?").get(pattern) as { n: number }).n;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  copy = copyBundle();
  const seeded = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/seed-demo-users.ts"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: `file:${copy.data}/pullkeeper.db`, PULLKEEPER_DEMO: "true", AUTH_SECRET, LOG_LEVEL: "silent" },
  });
  expect(seeded.status, seeded.stderr).toBe(0);
  if (runsAsRoot()) for (const file of fs.readdirSync(copy.data)) fs.chownSync(path.join(copy.data, file), IMAGE_UID, IMAGE_UID);
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  server = startBundle(copy, {
    NODE_ENV: "production",
    PORT: String(port),
    DATABASE_URL: `file:${copy.data}/pullkeeper.db`,
    AUTH_SECRET,
    PULLKEEPER_PUBLIC_URL: baseUrl,
    PULLKEEPER_DEMO: "true",
    PULLKEEPER_ALLOW_DEMO_IN_PRODUCTION: "true",
    PULLKEEPER_IN_CLUSTER: "false",
    LOG_LEVEL: "info",
  });
  await waitFor(`${baseUrl}/api/health/ready`, 200, 90_000, server);
  const admin = DEMO_USERS.find((user) => user.role === "admin")!;
  session = await signIn(baseUrl, admin.email, admin.password);
  createUser = serverActionIds(copy.app).get("createUserAction")!;
  expect(createUser).toMatch(/^[0-9a-f]{40,}$/);
}, 120_000);

afterAll(() => {
  server?.process.kill("SIGKILL");
  copy?.remove();
});

describe("server-action requests Next.js would answer with a 500", () => {
  const cases: Array<{ name: string; status: number; reason: string; send: () => Promise<Response> }> = [
    {
      name: "garbage multipart",
      status: 400,
      reason: "body_malformed",
      send: () => post(`--x\r\n${JSON.stringify(newUser("refused-multipart@example.com"))}`, { "Content-Type": "multipart/form-data; boundary=x" }),
    },
    {
      name: "invalid JSON",
      status: 400,
      reason: "body_malformed",
      send: () => post(`[${JSON.stringify(newUser("refused-json@example.com"))}`, { "Content-Type": "text/plain;charset=UTF-8" }),
    },
    {
      name: "a body over the 1 MB limit",
      status: 413,
      reason: "body_too_large",
      send: () => post(JSON.stringify([newUser("refused-large@example.com", "n".repeat(1024 * 1024))]), { "Content-Type": "text/plain;charset=UTF-8" }),
    },
    {
      name: "an Origin other than the host",
      status: 403,
      reason: "origin_mismatch",
      send: () => post(JSON.stringify([newUser("refused-origin@example.com")]), { "Content-Type": "text/plain;charset=UTF-8", Origin: "http://attacker.example" }),
    },
    {
      name: "an Origin that is not a URL",
      status: 400,
      reason: "origin_malformed",
      send: () => post(JSON.stringify([newUser("refused-bad-origin@example.com")]), { "Content-Type": "text/plain;charset=UTF-8", Origin: "not a url" }),
    },
  ];

  it.each(cases)("refuses $name with $status, a plain-text message and one log line, and changes nothing", async ({ status, reason, send }) => {
    const before = logLines(server.output()).length;
    const response = await send();
    const text = await response.text();
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toBe("text/plain");
    expect(text.length).toBeGreaterThan(10);
    expect(text).not.toContain(BODY_CANARY);
    expect(text).not.toMatch(/digest/i);
    const lines = logLines(server.output()).slice(before);
    expect(lines.filter((line) => line.msg === "server action request refused")).toEqual([
      expect.objectContaining({ status, reason, method: "POST", path: PAGE }),
    ]);
    expect(server.output()).not.toContain(BODY_CANARY);
    expect(server.output()).not.toMatch(/digest/);
    expect(usersNamed("refused-%")).toBe(0);
  });

  it("still runs a well-formed same-origin action (the user is created), and leaves unknown action ids to Next (409)", async () => {
    const result = await callAction<{ email: string }>(session, createUser, [newUser("accepted@example.com")], PAGE);
    expect(result).toMatchObject({ ok: true, data: { email: "accepted@example.com" } });
    expect(usersNamed("accepted@example.com")).toBe(1);

    const unknown = await post("[]", { "Content-Type": "text/plain;charset=UTF-8" }, `7f${"0".repeat(40)}`);
    expect(unknown.status).toBe(409);
    expect(unknown.headers.get("x-nextjs-action-not-found")).toBe("1");
    expect(usersNamed("refused-%")).toBe(0);
  });
});
