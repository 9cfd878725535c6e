import { describe, expect, it } from "vitest";
import { createRunAuthoriser } from "./run-authorisation";
import type { UserSummary } from "./users";

const base: UserSummary = {
  id: "u1", email: "op@example.com", name: "Op", role: "operator", clusters: null, active: true, pending: false, signInMethods: ["password"], createdAt: "2026-01-01T00:00:00Z",
};

function authoriserFor(user: Partial<UserSummary> | null) {
  return createRunAuthoriser({ findByEmail: async (email) => (user && email === base.email ? { ...base, ...user } : null) });
}

describe("whether a run's actor may still run it", () => {
  const actor = { email: base.email, role: "operator" };

  it("lets an operator with every cluster, or with the run's clusters, go on", async () => {
    expect(await authoriserFor({})(actor, ["a", "b"])).toBeNull();
    expect(await authoriserFor({ clusters: ["a", "b", "c"] })(actor, ["a", "b"])).toBeNull();
    expect(await authoriserFor({ role: "admin" })(actor, ["a"])).toBeNull();
  });

  it("says why when the account is gone, deactivated, pending, lowered to viewer, or lost a cluster", async () => {
    expect(await authoriserFor(null)(actor, ["a"])).toBe("op@example.com no longer has an account");
    expect(await authoriserFor({ active: false })(actor, ["a"])).toBe("op@example.com's account was deactivated");
    expect(await authoriserFor({ pending: true })(actor, ["a"])).toBe("op@example.com has no role");
    expect(await authoriserFor({ role: "viewer" })(actor, ["a"])).toBe("op@example.com is now a viewer and may no longer change clusters");
    expect(await authoriserFor({ clusters: ["a"] })(actor, ["a", "b", "c"])).toBe("op@example.com may no longer change clusters b, c");
    expect(await authoriserFor({ clusters: ["b"] })(actor, ["a"])).toBe("op@example.com may no longer change cluster a");
  });

  it("does not look up a keeping rule as a person", async () => {
    expect(await authoriserFor(null)({ email: "rule:keep-icr", role: "rule" }, ["a"])).toBeNull();
  });
});
