import { describe, expect, it, vi } from "vitest";
import { describeError, INTERNAL_ERROR_MESSAGE, isPullkeeperError, PullkeeperError } from "./errors";

/** A second copy of this module, as the instrumentation bundle has its own. */
async function otherRealm(): Promise<typeof import("./errors")> {
  vi.resetModules();
  return import("./errors");
}

describe("isPullkeeperError", () => {
  it("recognises an error made by another copy of the module, where instanceof fails", async () => {
    const other = await otherRealm();
    const error = new other.PullkeeperError("auth", "conflict", "This is the last admin with access to every cluster; make someone else an admin first.");
    expect(error instanceof PullkeeperError).toBe(false);
    expect(isPullkeeperError(error)).toBe(true);
    expect(isPullkeeperError(error, "auth", "conflict")).toBe(true);
    expect(isPullkeeperError(error, "kube")).toBe(false);
    expect(isPullkeeperError(error, "auth", "not_found")).toBe(false);
  });

  it("recognises a plain object or another class with the same fields", () => {
    class ElsewhereError extends Error {
      readonly brand = "pullkeeper-error";
      readonly source = "auth";
      readonly kind = "not_found";
      readonly transient = false;
    }
    expect(isPullkeeperError(new ElsewhereError("That user no longer exists."), "auth", "not_found")).toBe(true);
    expect(isPullkeeperError({ brand: "pullkeeper-error", source: "kube", kind: "forbidden", message: "m", transient: false })).toBe(true);
  });

  it("refuses anything without the brand, or with a kind or source outside the closed lists", () => {
    expect(isPullkeeperError(new Error("boom"))).toBe(false);
    expect(isPullkeeperError(Object.assign(new Error("m"), { kind: "conflict", source: "auth", transient: false }))).toBe(false);
    expect(isPullkeeperError({ brand: "pullkeeper-error", source: "auth", kind: "exploded", message: "m", transient: false })).toBe(false);
    expect(isPullkeeperError({ brand: "pullkeeper-error", source: "elsewhere", kind: "invalid", message: "m", transient: false })).toBe(false);
    expect(isPullkeeperError({ brand: "pullkeeper-error", source: "auth", kind: "invalid", message: 42, transient: false })).toBe(false);
    for (const value of [null, undefined, "pullkeeper-error", 7]) expect(isPullkeeperError(value)).toBe(false);
  });
});

describe("describeError", () => {
  it("gives the message, field errors and retry hints of a Pullkeeper error from any copy of the module", async () => {
    const other = await otherRealm();
    const weak = new other.PullkeeperError("auth", "invalid", "The password does not meet the policy.", {
      fieldErrors: { password: ["This password is on every guessing list; choose another."] },
    });
    expect(describeError(weak)).toEqual({
      kind: "invalid",
      message: "The password does not meet the policy.",
      transient: false,
      fieldErrors: { password: ["This password is on every guessing list; choose another."] },
    });
    const limited = new other.PullkeeperError("kube", "rate_limited", "slow down", { retryAfterSeconds: 3 });
    expect(describeError(limited)).toEqual({ kind: "rate_limited", message: "slow down", transient: true, retryAfterSeconds: 3 });
  });

  it("hides the text of anything else, and of configuration errors, whose text is for the server log", () => {
    const secretish = new Error("connect failed for https://user:hunter2@registry");
    expect(describeError(secretish)).toEqual({ kind: "internal", message: INTERNAL_ERROR_MESSAGE, transient: false });
    expect(describeError(new PullkeeperError("config", "not_configured", "AUTH_SECRET is missing"))).toEqual({ kind: "internal", message: INTERNAL_ERROR_MESSAGE, transient: false });
    expect(describeError("a string")).toMatchObject({ kind: "internal" });
  });

  it("takes transient from the kind unless the error says otherwise", () => {
    expect(new PullkeeperError("iam", "unavailable", "m").transient).toBe(true);
    expect(new PullkeeperError("iam", "conflict", "m").transient).toBe(false);
    expect(new PullkeeperError("kube", "conflict", "m", { transient: true }).transient).toBe(true);
  });
});
