import { test as base, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { DEMO_USERS } from "../lib/auth/demo-users";
import { WorkflowPage } from "./pages/workflow-page";

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

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).slice(0, 3).join("; ")})`);
}

/** Fails on any serious or critical accessibility violation of the current page. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  // After a client-side navigation Next streams the new page's <title>; check the page as a reader meets it.
  await expect(page, `${label}: document title`).toHaveTitle(/\S/);
  // A page still settling (a refresh re-rendering rows) can fail a check for a moment: look again twice
  // before failing. A real violation stays. No time cap: one check of the large cluster's page takes seconds.
  let serious = await seriousViolations(page);
  for (let attempt = 1; serious.length > 0 && attempt < 3; attempt++) {
    await page.waitForTimeout(1_000);
    serious = await seriousViolations(page);
  }
  expect(serious, `${label}: accessibility`).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}

export const test = base.extend<{ admin: Page; operator: Page; viewer: Page; workflow: WorkflowPage }>({
  /** The workflow page object over the test's page (sign in through admin/operator/viewer first). */
  workflow: async ({ page }, use) => {
    await use(new WorkflowPage(page));
  },
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
