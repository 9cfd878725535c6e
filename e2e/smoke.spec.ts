import { expect, test } from "@playwright/test";
import { expectAccessible, screenshot, signIn } from "./fixtures";

test("the health route reports the database, without signing in", async ({ request }) => {
  const health = await request.get("/api/health");
  expect(health.ok()).toBe(true);
  expect(await health.json()).toMatchObject({ status: "ok", database: { status: "ok", provider: "sqlite" } });
});

test("the favicon is served without signing in, so no page logs a 404 for it", async ({ page, request }) => {
  const icon = await request.get("/favicon.ico");
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toMatch(/^image\//);
  const missing: string[] = [];
  page.on("response", (response) => {
    if (response.status() === 404) missing.push(response.url());
  });
  await page.goto("/sign-in");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(missing).toEqual([]);
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

test("an unknown cluster, workflow or audit record is a real 404, not a 200 with a not-found page", async ({ page }) => {
  await signIn(page, "operator");
  for (const address of ["/clusters/no-such-cluster", "/clusters/no-such-cluster/namespaces/default", "/clusters/no-such-cluster/workflows/copy", "/clusters/regional/workflows/no-such-workflow", "/audit/00000000-0000-4000-8000-000000000000"]) {
    const response = await page.goto(address);
    expect(response?.status(), address).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" }), address).toBeVisible();
  }
  // A namespace is known only from the cluster's scan, which streams in after the page has started: the not-found page, but with 200.
  await page.goto("/clusters/regional/namespaces/no-such-namespace");
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
});
