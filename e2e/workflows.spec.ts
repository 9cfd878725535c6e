import type { Page } from "@playwright/test";
import { expect, expectAccessible, screenshot, test } from "./fixtures";
import { simulatedCluster } from "./pages/workflow-page";

/**
 * The three journeys users come for, on the demo fleet:
 * (1) find namespaces missing us.icr.io coverage on the regional cluster, copy and attach, see them covered;
 * (2) migrate the legacy cluster in one click after the preview, see it covered and verified;
 * (3) find that migration in the audit log, open it, export it.
 */
// The journeys build on each other's cluster state, so a retry of one alone would test a different world.
test.describe.configure({ mode: "serial", retries: 0 });

async function matrix(page: Page) {
  const table = page.getByRole("table", { name: "Coverage matrix" });
  await expect(table).toHaveAttribute("data-ready", "true", { timeout: 30_000 });
  return {
    table,
    row: (ns: string) => table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: new RegExp(`^${ns}\\b`) }) }),
  };
}

test("journey 1: drill into regional, filter to missing us.icr.io, copy and attach, cells turn covered", async ({ operator: page, workflow }) => {
  await page.goto("/");
  await page.getByRole("table", { name: "Clusters" }).getByRole("link", { name: "regional", exact: true }).click();
  const { row } = await matrix(page);
  await page.getByLabel("State", { exact: true }).selectOption("missing");
  await page.getByLabel("in registry", { exact: true }).selectOption("us.icr.io");
  await expect(row("ml-training")).toBeVisible();
  await row("ml-training").getByRole("checkbox").check();
  await row("shipping").getByRole("checkbox").check();
  await page.getByRole("link", { name: "Copy pull secrets…" }).click();

  await expect(workflow.heading("Copy pull secrets")).toBeVisible();
  await expect(page.getByLabel("Namespaces (one per line or comma-separated)")).toHaveValue("ml-training\nshipping");
  const preview = await workflow.preview();
  await expect(preview).toContainText("Copy default/default-us-icr-io to ml-training/ml-training-us-icr-io");
  await expect(preview).toContainText("Attach");
  await expectAccessible(page, "copy preview");
  await screenshot(page, "journey1-copy-preview");
  await workflow.apply(/^Copy and attach \(\d+ changes\)$/);
  await workflow.expectStatus(/Status: succeeded/);
  await screenshot(page, "journey1-copy-result");

  await page.goto("/clusters/regional");
  const after = await matrix(page);
  for (const ns of ["ml-training", "shipping"]) {
    await expect(after.row(ns).getByRole("button", { name: new RegExp(`^${ns}, us\\.icr\\.io: Covered`) })).toBeVisible();
  }
});

test("a Pullkeeper-made copy can be deleted from the namespace page after a confirmation that names its users", async ({ operator: page }) => {
  await page.goto("/clusters/regional/namespaces/ml-training");
  await page.getByRole("button", { name: "Delete ml-training-icr-io" }).click();
  const dialog = page.getByRole("dialog", { name: /Delete pull secret ml-training-icr-io/ });
  await expect(dialog).toContainText("Still referenced by ServiceAccount/default");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await page.getByRole("button", { name: "Delete ml-training-icr-io" }).click();
  await dialog.getByRole("button", { name: "Delete secret" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("table", { name: /Image pull secrets in ml-training/ })).not.toContainText("ml-training-icr-io");
  await expect(page.getByRole("table", { name: /Service accounts in ml-training/ })).toContainText(/ml-training-icr-io.*not found/);
  // Secrets Pullkeeper did not make have no delete control at all.
  await page.goto("/clusters/regional/namespaces/payments");
  await expect(page.getByRole("button", { name: /^Delete / })).toHaveCount(0);
});

test("journey 2: migrate the legacy cluster in one click after the preview; it becomes covered and verified", async ({ operator: page, workflow }) => {
  await page.goto("/");
  const legacy = page.getByRole("table", { name: "Clusters" }).getByRole("row").filter({ has: page.getByRole("rowheader", { name: /^legacy\b/ }) });
  await legacy.getByRole("link", { name: "Migrate to API keys" }).click();
  await expect(workflow.heading("Migrate to IAM API keys")).toBeVisible();
  await page.getByLabel(/One secret per domain/).check();
  const preview = await workflow.preview();
  await expect(preview).toContainText("Find or create service ID legacy-default-id");
  await expect(preview).toContainText("Create default/default-us-icr-io");
  await expectAccessible(page, "migrate preview");
  await screenshot(page, "journey2-migrate-preview");

  await workflow.apply(/^Migrate \(\d+ changes\)$/);
  await workflow.expectStatus(/Status: succeeded/);
  await expect(workflow.resultRegion).toContainText("registry.credential_verified");
  await screenshot(page, "journey2-migrate-result");

  await page.goto("/clusters/legacy");
  const { row } = await matrix(page);
  for (const domain of ["icr.io", "us.icr.io", "uk.icr.io", "de.icr.io", "au.icr.io", "jp.icr.io"]) {
    await expect(row("default").getByRole("button", { name: `default, ${domain}: Covered, verified valid` })).toBeVisible();
  }
  await screenshot(page, "journey2-legacy-after");
});

test("journey 3: find the migration in the audit log, open it, export it", async ({ operator: page }) => {
  await page.goto("/audit");
  await page.getByLabel("Kind").selectOption("migrate_to_api_keys");
  await page.getByLabel("Status").selectOption("succeeded");
  await page.getByRole("button", { name: "Filter" }).click();
  const operations = page.getByRole("table");
  await expect(operations.getByRole("row")).toHaveCount(2);
  await operations.getByRole("link", { name: "migrate to api keys" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "migrate to api keys" })).toBeVisible();
  const steps = page.getByRole("table");
  for (const action of ["iam.service_id.created", "iam.api_key.created", "secret.created", "service_account.patched", "registry.credential_verified"]) {
    await expect(steps.getByText(action).first()).toBeVisible();
  }
  await expect(page.getByText("Inputs (credentials removed)")).toBeVisible();
  await expectAccessible(page, "operation");
  await screenshot(page, "journey3-operation");

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export JSON" }).click();
  const file = await (await download).path();
  const exported = JSON.parse(await (await import("node:fs/promises")).readFile(file, "utf8")) as Array<{ kind: string; steps: unknown[] }>;
  expect(exported).toHaveLength(1);
  expect(exported[0]?.kind).toBe("migrate_to_api_keys");
  expect(exported[0]?.steps.length).toBeGreaterThan(10);

  await page.goto("/audit?kind=migrate_to_api_keys");
  const csvDownload = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const csv = await (await import("node:fs/promises")).readFile(await (await csvDownload).path(), "utf8");
  expect(csv.split("\r\n")[0]).toMatch(/^id,kind,status,actor/);
  expect(csv).toContain("migrate_to_api_keys");
});

test("a running workflow can be cancelled between steps; the run ends interrupted and a re-run finishes it", async ({ operator: page, workflow }) => {
  const regional = await simulatedCluster("regional");
  const namespaces = ["payments", "search", "analytics", "web-frontend", "inventory", "batch-jobs", "checkout", "monitoring"];
  await workflow.open("regional", "copy", { namespaces: namespaces.join(","), secrets: "default-au-icr-io" });
  await workflow.preview();
  // Slow the cluster down so the run is still going when the operator changes their mind.
  await regional.setFaults({ latencyMs: 1_000 });
  try {
    await workflow.apply(/^Copy and attach \(\d+ changes\)$/);
    await page.getByRole("button", { name: "Cancel remaining steps" }).click();
    await workflow.expectStatus("Status: interrupted");
    await workflow.expectStatus(/Cancelled by demo-operator@pullkeeper.demo/);
  } finally {
    await regional.setFaults({});
    await regional.dispose();
  }
  await page.getByRole("link", { name: "Audit record" }).click();
  await page.getByRole("link", { name: "Re-run to finish" }).click();
  await expect(workflow.planCounts).toContainText("already in place");
  await workflow.apply(/^Finish \(\d+ changes?\)$/);
  await workflow.expectStatus("Status: succeeded");
});

test("a secret that exists but is not used is attached from its namespace page, and the cell turns covered", async ({ operator: page, workflow }) => {
  await page.goto("/clusters/regional");
  const before = await matrix(page);
  await expect(before.row("web-frontend").getByRole("button", { name: /^web-frontend, us\.icr\.io: Not attached/ })).toBeVisible();

  await page.goto("/clusters/regional/namespaces/web-frontend");
  const secrets = page.getByRole("table", { name: "Image pull secrets in web-frontend" });
  await secrets.getByRole("row").filter({ hasText: "web-pull" }).getByRole("link", { name: "Attach…" }).click();
  await expect(workflow.heading(/Attach/)).toBeVisible();
  await expect(page.getByLabel("Namespaces (one per line or comma-separated)")).toHaveValue("web-frontend");
  await expect(page.getByLabel("Pull secrets to attach")).toHaveValue("web-pull");
  const preview = await workflow.preview();
  await expect(preview).toContainText("Attach web-pull to web-frontend/default");
  await expectAccessible(page, "attach preview");
  await workflow.apply("Attach (1 change)");
  await workflow.expectStatus(/Status: succeeded/);

  // The service account keeps what it had (the au copy from the run above) and gains web-pull.
  await page.goto("/clusters/regional/namespaces/web-frontend");
  const accounts = page.getByRole("table", { name: /^Service accounts in web-frontend/ });
  await expect(accounts.getByRole("row").filter({ hasText: "default" })).toContainText("web-pull");
  await expect(accounts.getByRole("row").filter({ hasText: "default" })).toContainText("web-frontend-au-icr-io");
  await page.goto("/clusters/regional");
  const after = await matrix(page);
  await expect(after.row("web-frontend").getByRole("button", { name: /^web-frontend, us\.icr\.io: Covered/ })).toBeVisible();

  // Attaching again plans nothing.
  await workflow.open("regional", "attach", { namespaces: "web-frontend", secrets: "web-pull" });
  await workflow.preview();
  await expect(workflow.planCounts).toContainText("0 changes");
});

test("bad input gets a message next to its field and changes nothing", async ({ operator: page, workflow }) => {
  const regional = await simulatedCluster("regional");
  const before = await regional.resourceVersion();
  await workflow.open("regional", "attach", { namespaces: "sandbox,Bad_NS" });
  await page.getByRole("button", { name: "Preview" }).click();
  const namespaces = page.getByLabel("Namespaces (one per line or comma-separated)");
  await expect(namespaces).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText(/"Bad_NS": lower-case letters/)).toBeVisible();
  await expect(page.getByText("choose at least one secret")).toBeVisible();
  await expect(workflow.previewRegion).toHaveCount(0);
  await expectAccessible(page, "attach form with errors");
  // Nothing was written to the cluster: its store's resourceVersion has not moved.
  expect(await regional.resourceVersion()).toBe(before);
  await regional.dispose();
});

test("a viewer may not open a workflow", async ({ viewer: page }) => {
  await page.goto("/clusters/legacy/workflows/migrate");
  await expect(page).toHaveURL(/forbidden/);
});
