import { expect, test } from "@playwright/test";

test("the shell renders and the health route reports the database", async ({ page, request }) => {
  const health = await request.get("/api/health");
  expect(health.ok()).toBe(true);
  const body = (await health.json()) as { status: string; database: { status: string; provider: string } };
  expect(body).toMatchObject({ status: "ok", database: { status: "ok", provider: "sqlite" } });

  await page.goto("/audit");
  await expect(page.getByRole("link", { name: "Pullkeeper" })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const name of ["Fleet", "Audit log", "Settings"]) await expect(nav.getByRole("link", { name })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("audit-log.png"), fullPage: true });
});

test("an unknown address gets the not-found page", async ({ page }) => {
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
});
