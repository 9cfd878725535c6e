/**
 * First-run setup through its real server action, on a fresh database with no
 * user (entrypoints.test.ts cannot: an admin exists there so setup is not what
 * answers). The first admin's creation must be in the audit log, and the
 * password typed into the form must be nowhere in it.
 */
import fs from "node:fs";
import { afterAll, describe, expect, it, vi } from "vitest";

const scope = vi.hoisted(() => {
  const dir = `/tmp/pullkeeper-setup-audit-${process.pid}-${Date.now()}`;
  process.env.DATABASE_URL = `file:${dir}/pullkeeper.db`;
  process.env.AUTH_SECRET = "setup-audit-test-secret-0123456789abcdef";
  process.env.PULLKEEPER_PUBLIC_URL = "http://pullkeeper.test";
  process.env.LOG_LEVEL = "silent";
  return { dir, headers: new Headers({ "x-pullkeeper-client-address": "198.51.100.7" }) };
});

vi.mock("next/headers", () => ({
  headers: async () => scope.headers,
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false, set: () => undefined, delete: () => undefined }),
}));

import { completeSetupAction } from "@/lib/actions/auth/complete-setup";
import { auditStore } from "@/lib/audit";
import { authService } from "@/lib/auth/service";

const PASSWORD = "first admin setup passphrase";

afterAll(() => fs.rmSync(scope.dir, { recursive: true, force: true }));

describe("first-run setup", () => {
  it("records the first admin's creation in the audit log, without the password", async () => {
    const { setup } = await authService();
    const token = await setup.issueToken();
    expect(token).toMatch(/^pk_setup_/);

    const form = new FormData();
    for (const [key, value] of Object.entries({ token: token!, email: "root@example.com", name: "Root", password: PASSWORD })) form.set(key, value);
    const thrown = await completeSetupAction(form).catch((error: unknown) => error);
    expect(String((thrown as { digest?: unknown })?.digest)).toMatch(/^NEXT_REDIRECT;[^;]*;\/;/);

    const store = await auditStore();
    const { items } = await store.listOperations({ kind: "first_run_setup" } as never, { limit: 10 });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ actor: "root@example.com", actorRole: "admin", status: "succeeded" });
    const record = await store.getOperation(items[0]!.id);
    expect(record?.steps.map((step) => step.action)).toContain("user.created");
    expect(JSON.stringify(record)).not.toContain(PASSWORD);
    expect(JSON.stringify(record)).not.toContain(token!);
  });
});
