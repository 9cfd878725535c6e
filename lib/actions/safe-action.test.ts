import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { SessionUser } from "@/lib/auth/permissions";

const admin: SessionUser = { id: "u-admin", email: "admin@example.com", name: "Admin", role: "admin", clusters: null };
const signedIn = vi.hoisted(() => ({ user: null as SessionUser | null }));
const denials = vi.hoisted(() => [] as Array<{ permission: string; cluster?: string; target: string }>);

vi.mock("@/lib/auth/session", () => ({
  currentUser: async () => signedIn.user,
  currentAccess: async () => (signedIn.user ? { kind: "user", user: signedIn.user } : null),
  PENDING_MESSAGE: "pending",
}));
vi.mock("@/lib/auth/denials", () => ({
  recordAccessDenied: async (attempt: { permission: string; cluster?: string; target: string }) => void denials.push(attempt),
}));

const { action, publicAction } = await import("./safe-action");

/**
 * The error classes as a second bundle has them: the auth service is built by the
 * instrumentation bundle, whose copy of lib/auth and lib/errors is not this one.
 */
async function otherBundle() {
  vi.resetModules();
  const permissions = await import("@/lib/auth/permissions");
  const users = await import("@/lib/auth/users");
  return { AuthError: permissions.AuthError, ForbiddenError: permissions.ForbiddenError, UserInputError: users.UserInputError };
}

function throwing(error: unknown) {
  return action("users.manage", z.object({}), async () => {
    throw error;
  }, { name: "users.test" });
}

beforeEach(() => {
  signedIn.user = admin;
  denials.length = 0;
});

describe("actions answer the user directory's refusals from another bundle with their message", () => {
  it.each<[string, "user" | "not_found" | "conflict", string, Record<string, string[]> | undefined]>([
    ["duplicate email", "user", "A user with that email already exists.", { email: ["A user with that email already exists."] }],
    ["weak password", "user", "The password does not meet the policy.", { password: ["This password is on every guessing list; choose another."] }],
    ["unknown user id", "not_found", "That user no longer exists.", undefined],
    ["last-admin guard", "conflict", "This is the last admin with access to every cluster; make someone else an admin first.", undefined],
  ])("%s", async (_case, kind, message, fieldErrors) => {
    const { AuthError, UserInputError } = await otherBundle();
    const error = kind === "user" ? new UserInputError(message, fieldErrors!) : new AuthError(kind, message);
    expect(await throwing(error)({})).toEqual({ ok: false, error: message, ...(fieldErrors ? { fieldErrors } : {}) });
  });

  it("first-run setup: a wrong token, users already there, a weak password", async () => {
    const { AuthError, UserInputError } = await otherBundle();
    const setup = (error: unknown) =>
      publicAction(z.object({}), async () => {
        throw error;
      });
    const wrongToken = "The setup token is wrong, expired or already used. Restart the server to print a new one.";
    expect(await setup(new AuthError("unauthorized", wrongToken))({})).toEqual({ ok: false, error: wrongToken });
    expect(await setup(new AuthError("conflict", "Pullkeeper already has users; sign in instead."))({})).toEqual({ ok: false, error: "Pullkeeper already has users; sign in instead." });
    const problems = { password: ["Use at least 12 characters."] };
    expect(await setup(new UserInputError("Check the highlighted fields.", problems))({})).toEqual({ ok: false, error: "Check the highlighted fields.", fieldErrors: problems });
  });

  it("a refusal by assertCan from another bundle is audited as a denial with its permission and cluster", async () => {
    const { ForbiddenError } = await otherBundle();
    const operator: SessionUser = { ...admin, role: "operator", clusters: ["regional"] };
    const result = await throwing(new ForbiddenError(operator, "workflow.apply", { cluster: "modern" }))({});
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining("cluster modern") });
    expect(denials).toEqual([expect.objectContaining({ permission: "workflow.apply", cluster: "modern", target: "users.test" })]);
  });

  it("anything else is a bug and still throws (to error.tsx), whatever fields it carries", async () => {
    await expect(throwing(new TypeError("x is undefined"))({})).rejects.toThrow("x is undefined");
    const lookalike = Object.assign(new Error("no brand"), { kind: "conflict", fieldErrors: {} });
    await expect(throwing(lookalike)({})).rejects.toBe(lookalike);
  });
});
