/**
 * Hardening that shows only against the running app (issue 12): return paths
 * after sign-in, the better-auth endpoints served, the CSP on prefetches, the
 * rescan route's origin check and rate limit, connection details (settings, fleet, cluster
 * pages, /api/clusters) for admins only.
 */
import { expect, test } from "./fixtures";

test("a signed-in user is never sent to another site by a crafted return path", async ({ viewer: page }) => {
  for (const next of ["%2F.%2F%2Fevil.example%2Fphish", "%2F%2Fevil.example", "%2F%5Cevil.example", "https%3A%2F%2Fevil.example"]) {
    const response = await page.request.get(`/sign-in?next=${next}`, { maxRedirects: 0 });
    expect(response.status(), next).toBeGreaterThanOrEqual(300);
    const location = response.headers()["location"] ?? "";
    expect(new URL(location, "http://pk.invalid").host, `${next} → ${location}`).toBe("pk.invalid");
  }
});

test("better-auth's password and profile endpoints are not served", async ({ viewer: page, baseURL }) => {
  const headers = { origin: baseURL! };
  expect((await page.request.post("/api/auth/change-password", { headers, data: { currentPassword: "x", newPassword: "short" } })).status()).toBe(404);
  expect((await page.request.post("/api/auth/update-user", { headers, data: { name: "<b>x</b>" } })).status()).toBe(404);
  expect((await page.request.get("/api/auth/get-session")).status()).toBe(200);
});

test("a prefetch gets the server's CSP nonce, never one the client sent", async ({ viewer: page }) => {
  const response = await page.request.get("/audit", { headers: { "next-router-prefetch": "1", purpose: "prefetch", "x-nonce": "attacker-nonce" } });
  const csp = response.headers()["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  expect(csp).not.toContain("attacker-nonce");
});

test("connection details are for admins: settings and /api/clusters", async ({ viewer: page, browser, baseURL }) => {
  const viewerRows = (await (await page.request.get("/api/clusters")).json()).clusters as Array<Record<string, unknown>>;
  expect(viewerRows.length).toBeGreaterThan(0);
  for (const row of viewerRows) expect(row, String(row.cluster)).toMatchObject({ server: "", sourceFile: null, identity: null });
  await page.goto("/settings");
  await expect(page.getByText("Kubeconfig files, server addresses and user entries are shown to admins only.")).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Server" })).toHaveCount(0);
  expect(await page.content()).not.toMatch(/https:\/\/127\.0\.0\.1:\d+/);

  const admin = await browser.newPage({ baseURL });
  const { signIn } = await import("./fixtures");
  await signIn(admin, "admin");
  const adminRows = (await (await admin.request.get("/api/clusters")).json()).clusters as Array<{ server: string }>;
  for (const row of adminRows) expect(row.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  await admin.goto("/settings");
  await expect(admin.getByRole("columnheader", { name: "Server" })).toBeVisible();
  await admin.close();
});

test("connection details are for admins: the fleet and cluster pages", async ({ viewer: page, browser, baseURL }) => {
  const serverUrl = /https:\/\/127\.0\.0\.1:\d+/;
  await page.goto("/");
  await expect(page.getByRole("link", { name: "regional", exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText("Scanning…")).toHaveCount(0, { timeout: 30_000 });
  expect(await page.content()).not.toMatch(serverUrl);
  await page.goto("/clusters/regional");
  await expect(page.getByRole("heading", { level: 1, name: "regional" })).toBeVisible({ timeout: 30_000 });
  expect(await page.content()).not.toMatch(serverUrl);

  const admin = await browser.newPage({ baseURL });
  const { signIn } = await import("./fixtures");
  await signIn(admin, "admin");
  await admin.goto("/");
  await expect(admin.getByText(serverUrl).first()).toBeVisible({ timeout: 30_000 });
  await admin.goto("/clusters/regional");
  await expect(admin.getByText(serverUrl).first()).toBeVisible({ timeout: 30_000 });
  await admin.close();
});

test("the rescan route checks Origin and limits each user", async ({ viewer: page, baseURL }) => {
  const scan = (headers: Record<string, string>) => page.request.post("/api/clusters/regional/scan", { headers });
  expect((await scan({ origin: "http://evil.example" })).status()).toBe(403);
  expect((await scan({})).status()).toBe(403);
  const statuses: number[] = [];
  for (let i = 0; i < 8; i++) statuses.push((await scan({ origin: baseURL! })).status());
  // Six a minute (PULLKEEPER_SCAN_RATE_LIMIT_PER_MINUTE), then 429 with Retry-After.
  expect(statuses.slice(0, 6)).toEqual([200, 200, 200, 200, 200, 200]);
  expect(statuses.slice(6)).toEqual([429, 429]);
});
