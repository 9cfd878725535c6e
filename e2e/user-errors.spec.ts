import { DEMO_ADMIN, DEMO_USERS } from "../lib/auth/demo-users";
import { expect, test } from "./fixtures";

/**
 * The user directory lives in a server object built by whichever bundle asks first; its refusals
 * must reach the form as messages (not an HTTP 500 with a stack trace in the log) whichever bundle
 * built it.
 */
const viewer = DEMO_USERS.find((user) => user.role === "viewer")!;

test.describe("expected refusals on the users page are shown, not 500s", () => {
  test("creating a user with a taken email or a weak password", async ({ admin: page }) => {
    await page.goto("/admin/users");
    const form = page.getByRole("form", { name: "Create a local user" });
    await form.getByRole("textbox", { name: "Name", exact: true }).fill("Second Viewer");
    await form.getByRole("textbox", { name: "Email" }).fill(viewer.email);
    await form.getByLabel("Initial password").fill("correct-horse-battery-staple");
    await form.getByRole("button", { name: "Create user" }).click();
    await expect(form.getByRole("alert")).toHaveText("A user with that email already exists.");

    // React resets a form after its action ran: fill every field again.
    await form.getByRole("textbox", { name: "Name", exact: true }).fill("Weak Password");
    await form.getByRole("textbox", { name: "Email" }).fill("weak-password@pullkeeper.demo");
    await form.getByLabel("Initial password").fill("password123456");
    await form.getByRole("button", { name: "Create user" }).click();
    await expect(form.getByRole("alert")).toHaveText("The password does not meet the policy.");
    await expect(form).toContainText("This password is on every guessing list; choose another.");
    await page.reload();
    await expect(page.getByRole("rowheader").filter({ hasText: "weak-password@pullkeeper.demo" })).toHaveCount(0);
  });

  test("setting a weak password for another user", async ({ admin: page }) => {
    await page.goto("/admin/users");
    const form = page.getByRole("form", { name: `New password for ${viewer.email}` });
    await form.getByLabel(`New password for ${viewer.email}`).fill("qwertyuiop1234");
    await form.getByRole("button", { name: "Set" }).click();
    await expect(form.getByRole("alert")).toHaveText("The password does not meet the policy.");
  });

  test("demoting the last admin", async ({ admin: page }) => {
    await page.goto("/admin/users");
    const form = page.getByRole("form", { name: `Role of ${DEMO_ADMIN.email}` });
    await form.getByRole("combobox", { name: `Role of ${DEMO_ADMIN.email}` }).selectOption("viewer");
    await form.getByRole("button", { name: "Save" }).click();
    await expect(form.getByRole("alert")).toHaveText("This is the last admin with access to every cluster; make someone else an admin first.");
  });

  test("changing the role of a user that no longer exists", async ({ admin: page }) => {
    await page.goto("/admin/users");
    const form = page.getByRole("form", { name: `Role of ${viewer.email}` });
    // A row left open in another tab after the user was removed sends an id the directory no longer knows.
    await form.locator("input[name=userId]").evaluate((input: HTMLInputElement) => {
      input.value = "user-that-was-removed";
    });
    await form.getByRole("button", { name: "Save" }).click();
    await expect(form.getByRole("alert")).toHaveText("That user no longer exists.");
  });
});
