import { expect, expectAccessible, screenshot, test } from "./fixtures";

test.describe.configure({ mode: "serial" });

test("migrate the legacy cluster to IAM API keys in one click after the preview", async ({ operator: page }) => {
  await page.goto("/clusters/legacy/workflows/migrate");
  await expect(page.getByRole("heading", { level: 1, name: "Migrate to IAM API keys" })).toBeVisible();
  await page.getByLabel(/One secret per domain/).check();
  await page.getByRole("button", { name: "Preview" }).click();
  const preview = page.getByRole("region", { name: "Preview" });
  await expect(preview).toBeVisible();
  await expect(preview.getByTestId("plan-counts")).toContainText("changes");
  await expect(preview).toContainText("Find or create service ID legacy-default-id");
  await expect(preview).toContainText("Create default/default-us-icr-io");
  await expectAccessible(page, "migrate preview");
  await screenshot(page, "migrate-preview");

  await page.getByRole("button", { name: /^Migrate \(\d+ changes\)$/ }).click();
  const result = page.getByRole("region", { name: /Result|Applying/ });
  await expect(result.getByTestId("operation-status")).toContainText("succeeded", { timeout: 30_000 });
  await expect(result).toContainText("registry.credential_verified");
  await screenshot(page, "migrate-result");

  await result.getByRole("link", { name: "Audit record" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "migrate to api keys" })).toBeVisible();
  await expect(page.getByRole("table")).toContainText("iam.api_key.created");
});

test("a viewer may not open the apply path", async ({ viewer: page }) => {
  const response = await page.goto("/clusters/legacy/workflows/migrate");
  await expect(page).toHaveURL(/forbidden/);
  expect(response?.ok()).toBe(true);
});
