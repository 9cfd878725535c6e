import type { Page } from "@playwright/test";
import { expect, expectAccessible, screenshot, test } from "./fixtures";

/**
 * Rotating the regional cluster's key as an operator would: from the secret in
 * `default` on its namespace page, preview every secret the rotation writes in
 * every cluster, apply, watch the copies turn current and verified, find the
 * operation in the audit log and undo it while the old key waits to be deleted.
 */
// One rotation, followed through: a retry alone would start from another key.
test.describe.configure({ mode: "serial", retries: 0 });

/** The row of a pull secret on a namespace page. */
function secretRow(page: Page, name: string) {
  return page.getByRole("table", { name: /Image pull secrets in/ }).getByRole("row").filter({ has: page.getByRole("rowheader", { name: new RegExp(`^${name}\\b`) }) });
}

test("rotate regional's key from its namespace page, every copy turns current and verified, then undo it from the audit log", async ({ operator: page, workflow }) => {
  test.setTimeout(240_000);
  await page.goto("/clusters/regional/namespaces/inventory");
  // As seeded, this copy holds a key an earlier rotation left behind.
  await expect(secretRow(page, "inventory-us-icr-io")).toContainText("stale");

  await page.goto("/clusters/regional/namespaces/default");
  await secretRow(page, "default-us-icr-io").getByRole("link", { name: "Rotate key…" }).click();
  await expect(workflow.heading(/Rotate/)).toBeVisible();
  await expect(page.getByLabel("Secret name")).toHaveValue("default-us-icr-io");
  const preview = await workflow.preview();
  await expect(preview).toContainText("Write the new key into default/default-us-icr-io on regional");
  await expect(preview).toContainText("Refresh copy inventory/inventory-us-icr-io on regional");
  await expect(preview).toContainText("Keep the old key");
  await expectAccessible(page, "rotation preview");
  await screenshot(page, "rotation-preview");

  await workflow.apply(/^Rotate key \(\d+ changes\)$/);
  // The run writes, verifies and locks, then waits out the grace period (24 h) before the delete.
  const steps = page.getByRole("list").filter({ hasText: "secret.key_rotated" });
  await expect(steps.getByText("iam.api_key.locked")).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId("operation-status")).toContainText("running");
  await screenshot(page, "rotation-waiting");

  for (const [namespace, name] of [["inventory", "inventory-us-icr-io"], ["search", "search-us-icr-io"]] as const) {
    await page.goto(`/clusters/regional/namespaces/${namespace}`);
    const row = secretRow(page, name);
    await expect(row, `${namespace}/${name}`).toContainText("up to date");
    await expect(row, `${namespace}/${name}`).toContainText("verified valid");
    await expect(row).not.toContainText("stale");
  }

  await page.goto("/audit");
  await page.getByLabel("Kind").selectOption("rotate_api_key");
  await page.getByRole("button", { name: "Filter" }).click();
  await page.getByRole("table").getByRole("link", { name: "rotate api key" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "rotate api key" })).toBeVisible();
  for (const action of ["iam.api_key.created", "iam.api_key.held", "secret.key_rotated", "registry.credential_verified", "iam.api_key.locked"]) {
    await expect(page.getByRole("table").getByText(action).first()).toBeVisible();
  }
  await expectAccessible(page, "rotation operation");

  await page.getByRole("link", { name: "Undo…" }).click();
  await expect(workflow.heading(/^Undo rotate api key/)).toBeVisible();
  // The undo page previews at once; planning reads every cluster of the fleet (the large one has 2,000 namespaces).
  const undoPreview = workflow.previewRegion;
  await expect(undoPreview).toBeVisible({ timeout: 90_000 });
  await expect(undoPreview).toContainText("Write the old key back into default/default-us-icr-io on regional");
  await expect(undoPreview).toContainText("Unlock the old key");
  await expect(undoPreview).toContainText("Delete the key the rotation minted");
  await workflow.apply(/^Undo \(\d+ changes\)$/);
  await workflow.expectStatus("Status: succeeded", 120_000);
  await screenshot(page, "rotation-undone");

  // The old key is back everywhere: the copy matches its source again, and the registry accepts it.
  await page.goto("/clusters/regional/namespaces/search");
  await expect(secretRow(page, "search-us-icr-io")).toContainText("up to date");
  await expect(secretRow(page, "search-us-icr-io")).toContainText("verified valid");
});

test("a leaked key: the namespace page starts the same rotation from the key's fingerprint, with no grace period", async ({ operator: page, workflow }) => {
  await page.goto("/clusters/modern/namespaces/default");
  const row = page.getByRole("table", { name: /Image pull secrets in/ }).getByRole("row").filter({ has: page.getByRole("link", { name: "Rotate key…" }) }).first();
  await row.getByRole("link", { name: /^Key leaked\? Rotate key [0-9a-f]{12}/ }).first().click();
  await expect(page.getByLabel("Start from")).toHaveValue("fingerprint");
  await expect(page.getByLabel("Fingerprint of the leaked key")).toHaveValue(/^[0-9a-f]{12}$/);
  await expect(page.getByLabel("Delete the old key")).toHaveValue("0");
  const preview = await workflow.preview();
  await expect(preview).toContainText("at once (grace 0: a leaked key)");
  await expect(preview).not.toContainText("Keep the old key");
});
