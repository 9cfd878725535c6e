import { describe, expect, it } from "vitest";
import { passwordProblems, PASSWORD_MAX_LENGTH } from "./password-policy";

describe("passwordProblems", () => {
  it("accepts a long passphrase", () => {
    expect(passwordProblems("correct horse battery staple", { email: "ann@example.com", name: "Ann Lee" })).toEqual([]);
  });

  it("refuses short, overlong, common, repeated and personal passwords", () => {
    expect(passwordProblems("Short1!")).toEqual([expect.stringMatching(/at least 12/)]);
    expect(passwordProblems("x".repeat(PASSWORD_MAX_LENGTH) + "yz")).toContainEqual(expect.stringMatching(/at most 128/));
    expect(passwordProblems("Password1234")).toContainEqual(expect.stringMatching(/guessing list/));
    expect(passwordProblems("changeme!!!!!!")).toContainEqual(expect.stringMatching(/guessing list/));
    expect(passwordProblems("aaaaaaaaaaaaaa")).toContainEqual(expect.stringMatching(/single character/));
    expect(passwordProblems("my-jdoe-password-x", { email: "jdoe@example.com" })).toContainEqual(expect.stringMatching(/name or email/));
    expect(passwordProblems("margaret-2024-long", { name: "Margaret" })).toContainEqual(expect.stringMatching(/name or email/));
  });

  it("counts characters, not UTF-16 units", () => {
    expect(passwordProblems("🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑")).toContainEqual(expect.stringMatching(/at least 12/));
  });
});

describe("demo accounts", () => {
  it("meet the policy they are created under", async () => {
    const { DEMO_USERS } = await import("./demo-users");
    for (const user of DEMO_USERS) expect(passwordProblems(user.password, user)).toEqual([]);
  });
});
