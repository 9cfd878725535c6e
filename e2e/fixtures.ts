import { test as base, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { DEMO_USERS } from "../lib/auth/demo-users";

type DemoRole = "admin" | "operator" | "viewer";

/** Signs in through the real form, as a person would, with a demo account. */
export async function signIn(page: Page, role: DemoRole = "admin"): Promise<void> {
  const account = DEMO_USERS.find((user) => user.role === role)!;
  await page.goto("/sign-in");
  await page.getByRole("textbox", { name: "Email" }).fill(account.email);
  await page.getByRole("textbox", { name: "Password" }).fill(account.password);
  await page.getByRole("button", { name: /sign in/i }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
}

/** Fails on any serious or critical accessibility violation of the current page. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  // After a client-side navigation Next streams the new page's <title>; check the page as a reader meets it.
  await expect(page, `${label}: document title`).toHaveTitle(/\S/);
  // A page still settling (a refresh re-rendering rows) can fail a check for a moment; a real violation stays and fails after the retries.
  await expect(async () => {
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
    expect(
      serious.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).slice(0, 3).join("; ")})`),
      `${label}: accessibility`,
    ).toEqual([]);
  }).toPass({ timeout: 15_000, intervals: [500, 1_000, 2_000] });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}

export const test = base.extend<{ admin: Page; operator: Page; viewer: Page }>({
  admin: async ({ page }, use) => {
    await signIn(page, "admin");
    await use(page);
  },
  operator: async ({ page }, use) => {
    await signIn(page, "operator");
    await use(page);
  },
  viewer: async ({ page }, use) => {
    await signIn(page, "viewer");
    await use(page);
  },
});

export { expect };
