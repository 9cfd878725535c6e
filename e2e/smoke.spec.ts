import { expect, test } from "@playwright/test";
import { expectAccessible, screenshot, signIn } from "./fixtures";

test("the health route reports the database, without signing in", async ({ request }) => {
  const health = await request.get("/api/health");
  expect(health.ok()).toBe(true);
  expect(await health.json()).toMatchObject({ status: "ok", database: { status: "ok", provider: "sqlite" } });
});

test("an anonymous visitor is sent to sign in, and the shell renders after signing in", async ({ page }) => {
  await page.goto("/audit");
  await expect(page).toHaveURL(/\/sign-in/);
  await expectAccessible(page, "sign-in");
  await screenshot(page, "sign-in");
  await signIn(page, "viewer");
  await page.goto("/audit");
  await expect(page.getByRole("link", { name: "Pullkeeper" })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const name of ["Fleet", "Audit log", "Settings"]) await expect(nav.getByRole("link", { name })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
});

test("an unknown address gets the not-found page", async ({ page }) => {
  await signIn(page, "viewer");
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
});
