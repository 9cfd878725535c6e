import type { Page } from "@playwright/test";
import { CREDENTIAL_CANARY } from "../sim/demo-credentials";
import { expect, expectAccessible, screenshot, test } from "./fixtures";

/**
 * The dashboard's read side on the demo fleet (contexts legacy, regional, modern, large):
 * fleet overview, coverage matrix, namespace detail, settings. Each page gets an axe
 * check (no serious or critical violation), a canary check and a screenshot.
 * Runs before workflows.spec.ts (alphabetical, one worker), so the legacy cluster still holds its tokens.
 */

async function checkPage(page: Page, name: string) {
  await expectAccessible(page, name);
  expect(await page.content(), `${name}: credential canary`).not.toContain(CREDENTIAL_CANARY);
  await screenshot(page, name);
}

async function matrixReady(page: Page) {
  const table = page.getByRole("table", { name: "Coverage matrix" });
  await expect(table).toHaveAttribute("data-ready", "true", { timeout: 30_000 });
  return table;
}

test("fleet: one row per cluster with reachability, coverage and the migration call to action", async ({ operator: page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Fleet" })).toBeVisible();
  const clusters = page.getByRole("table", { name: "Clusters" });
  for (const name of ["legacy", "regional", "modern", "large"]) {
    await expect(clusters.getByRole("rowheader", { name: new RegExp(`^${name}\\b`) })).toBeVisible({ timeout: 30_000 });
  }
  await expect(clusters.getByText("Scanning…")).toHaveCount(0, { timeout: 30_000 });
  const legacyRow = clusters.getByRole("row").filter({ has: page.getByRole("rowheader", { name: /^legacy\b/ }) });
  await expect(legacyRow.getByText("Reachable")).toBeVisible();
  await expect(legacyRow.getByRole("link", { name: "Migrate to API keys" })).toHaveAttribute("href", "/clusters/legacy/workflows/migrate");
  const modernRow = clusters.getByRole("row").filter({ has: page.getByRole("rowheader", { name: /^modern\b/ }) });
  await expect(modernRow.getByRole("link", { name: "Migrate to API keys" })).toHaveCount(0);
  const largeRow = clusters.getByRole("row").filter({ has: page.getByRole("rowheader", { name: /^large\b/ }) });
  await expect(largeRow.getByRole("cell", { name: "2,004" })).toBeVisible();

  await largeRow.getByRole("button", { name: "Refresh large" }).click();
  await expect(largeRow.getByRole("button", { name: "Refresh large" })).toBeEnabled({ timeout: 30_000 });
  await checkPage(page, "fleet");
});

test("fleet: the summary links to the filtered view; filter by state and name, order by name, all in the URL", async ({ viewer: page }) => {
  await page.goto("/");
  await expect(page.getByText("Counted over all 4 clusters.")).toBeVisible({ timeout: 30_000 });
  const clusters = page.getByRole("table", { name: "Clusters" });
  const names = () => clusters.getByRole("rowheader");

  const uncovered = page.getByRole("link", { name: /namespaces? not covered for icr\.io in \d+ clusters?/ });
  const inClusters = Number(/in (\d+) clusters?$/.exec((await uncovered.textContent()) ?? "")![1]);
  await uncovered.click();
  await expect(page).toHaveURL(/\/\?state=uncovered$/);
  await expect(page.getByLabel("State")).toHaveValue("uncovered");
  await expect(names()).toHaveCount(inClusters);

  await page.getByRole("link", { name: /clusters? fully covered$/ }).click();
  await expect(page).toHaveURL(/\/\?state=covered$/);
  const fullyCovered = Number(/^(\d+)/.exec((await page.getByRole("link", { name: /clusters? fully covered$/ }).textContent()) ?? "")![1]);
  if (fullyCovered === 0) await expect(page.getByText("No cluster matches this filter.")).toBeVisible();
  else await expect(names()).toHaveCount(fullyCovered);

  await page.getByRole("button", { name: "Show all" }).click();
  await expect(names()).toHaveCount(4);
  await page.getByRole("searchbox", { name: "Cluster name" }).fill("REG");
  await expect(names()).toHaveText(["regional"]);
  await expect(page).toHaveURL(/\/\?name=REG$/);
  await page.getByRole("searchbox", { name: "Cluster name" }).fill("");
  await page.getByLabel("Order").selectOption("name");
  await expect(names()).toHaveText(["large", "legacy", "modern", "regional"]);
  await expect(page).toHaveURL(/\/\?sort=name$/);

  // A shared link opens the same view.
  await page.goto("/?state=uncovered&name=mod");
  await expect(names()).toHaveText(["modern"]);
  await expect(page.getByRole("searchbox", { name: "Cluster name" })).toHaveValue("mod");

  // Cluster labels (the demo's clusters have none until an admin sets them): the summary counts what the filter keeps.
  await page.goto("/?labels=!env");
  await expect(names()).toHaveCount(4);
  await expect(page.getByText("Counted over all 4 clusters.")).toBeVisible();
  await page.goto("/?name=reg&labels=!env");
  await expect(page.getByText("Counted over the 1 cluster the name and label filters keep.")).toBeVisible();
  await page.goto("/?labels=!env");
  const labels = page.getByRole("searchbox", { name: "Cluster labels" });
  await labels.fill("env=prod");
  await expect(page).toHaveURL(/\/\?labels=env%3Dprod$/);
  await expect(page.getByText("No cluster matches this filter.")).toBeVisible();
  await expect(page.getByText("No cluster matches the filters: nothing is counted.")).toBeVisible();
  await labels.fill("env in (prod");
  await expect(page.getByRole("alert").filter({ hasText: "The label filter is not applied" })).toContainText("is not a requirement");
  await expect(names()).toHaveCount(4);
});

test("cluster: the regional matrix shows states in text, filters, selects and links to the copy workflow", async ({ operator: page }) => {
  await page.goto("/clusters/regional");
  const table = await matrixReady(page);
  const row = (ns: string) => table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: new RegExp(`^${ns}\\b`) }) });
  await expect(row("default").getByRole("button", { name: "default, us.icr.io: Covered" })).toBeVisible();
  await expect(row("payments").getByRole("button", { name: /payments, uk\.icr\.io: Missing/ })).toBeVisible();
  await expect(row("checkout").getByText("2 stale copy")).toBeVisible();
  await expect(row("web-staging").getByText(/\d+ dangling/)).toBeVisible();
  await expect(row("monitoring").getByRole("button", { name: "monitoring, registry.example.com: Covered" })).toBeVisible();
  // The hint line explains the cell pointed at (found from the row and the cell's position, not from per-cell data).
  await row("payments").getByRole("button", { name: /payments, uk\.icr\.io: Missing/ }).hover();
  await expect(page.getByText("payments · uk.icr.io: Missing.")).toBeVisible();

  await expect(page.getByText(/\d+ stale or orphaned cop/).first()).toBeVisible();
  await page.getByText(/dangling reference/).first().click();
  await expect(page.getByText(/ServiceAccount default references web-staging-us-icr-io/)).toBeVisible();

  await page.getByLabel("State", { exact: true }).selectOption("missing");
  await page.getByLabel("in registry", { exact: true }).selectOption("us.icr.io");
  for (const ns of ["ml-training", "shipping", "sandbox", "qa"]) await expect(row(ns)).toBeVisible();
  await expect(row("payments")).toHaveCount(0);
  await expect(page).toHaveURL(/state=missing/);

  await row("ml-training").getByRole("checkbox").check();
  await row("shipping").getByRole("checkbox").check();
  await expect(page.getByRole("link", { name: "Copy pull secrets…" })).toHaveAttribute("href", "/clusters/regional/workflows/copy?namespaces=ml-training%2Cshipping");
  await expect(page.getByRole("link", { name: "Attach…" })).toHaveAttribute("href", "/clusters/regional/workflows/attach?namespaces=ml-training%2Cshipping");

  await page.getByLabel("Label selector", { exact: true }).fill("team=web");
  await expect(row("qa")).toBeVisible();
  await expect(row("shipping")).toHaveCount(0);

  await row("qa").getByRole("button", { name: /qa, us\.icr\.io: Missing/ }).click();
  const panel = page.getByRole("complementary", { name: /qa · us\.icr\.io/ });
  await expect(panel.getByText("No pull secret in the namespace holds a credential for us.icr.io")).toBeVisible();
  await expect(panel.getByText("None.")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(panel).toHaveCount(0);
  await checkPage(page, "cluster-regional");
});

test("cluster: the large cluster stays usable with 2,004 namespaces", async ({ operator: page }) => {
  // Many steps and an axe pass over a large table: more than the default budget on a shared two-core machine.
  test.setTimeout(120_000);
  const scripts = new Map<string, number>();
  page.on("response", async (response) => {
    if (response.request().resourceType() !== "script") return;
    const size = Number(response.headers()["content-length"] ?? 0) || (await response.body().catch(() => Buffer.alloc(0))).length;
    scripts.set(response.url(), size);
  });
  const started = Date.now();
  await page.goto("/clusters/large");
  const table = await matrixReady(page);
  const usableMs = Date.now() - started;
  test.info().annotations.push({ type: "time-to-usable-table-ms", description: String(usableMs) });
  const jsBytes = [...scripts.values()].reduce((sum, size) => sum + size, 0);
  test.info().annotations.push({ type: "javascript-bytes", description: `${jsBytes} bytes in ${scripts.size} scripts (uncompressed)` });
  await expect(table.locator("tbody tr")).toHaveCount(50);
  await expect(page.getByText("2004 namespaces")).toBeVisible();

  await page.getByLabel("Label selector", { exact: true }).fill("env=prod");
  await page.getByLabel("State", { exact: true }).selectOption("not_covered");
  await page.getByRole("button", { name: /Select all \d+ filtered/ }).click();
  await expect(page.getByRole("link", { name: "Copy pull secrets…" })).toHaveAttribute("href", /^\/clusters\/large\/workflows\/copy\?(namespaces=app-|selector=env%3Dprod&uncovered=1)/);

  await page.getByLabel("Label selector", { exact: true }).fill("");
  await page.getByLabel("State", { exact: true }).selectOption("any");
  await page.getByRole("button", { name: /Select all 2004 filtered/ }).click();
  await expect(page.getByRole("button", { name: "Copy pull secrets…" })).toBeDisabled();
  await page.getByRole("navigation", { name: "Matrix pages" }).getByRole("button", { name: "Next" }).click();
  await expect(page.getByText(/51–100 of 2004/)).toBeVisible();
  await checkPage(page, "cluster-large");
});

test("cluster: the matrix view is the URL; the server sends one page and answers each page, filter and sort", async ({ viewer: page }) => {
  // Two page loads and four round trips to the server: more than the default budget on a shared two-core machine.
  test.setTimeout(120_000);
  // The HTML holds the first page of the 2,004 namespaces, not the cluster.
  const html = await (await page.request.get("/clusters/large")).text();
  expect(html.match(/aria-rowindex="/g) ?? []).toHaveLength(50);

  await page.goto("/clusters/large");
  const table = await matrixReady(page);
  const firstName = () => table.locator("tbody th a").first();
  await expect(firstName()).toHaveText("app-0001");

  const asked = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/clusters/large/matrix" && new URL(r.url()).searchParams.get("page") === "2");
  await page.getByRole("navigation", { name: "Matrix pages" }).getByRole("button", { name: "Next" }).click();
  expect((await asked).status()).toBe(200);
  await expect(page).toHaveURL(/\/clusters\/large\?page=2$/);
  await expect(firstName()).toHaveText("app-0051");
  await expect(page.getByText("51–100 of 2004 · page 2 of 41")).toBeVisible();

  await page.getByRole("searchbox", { name: "Search" }).fill("app-00");
  await expect(page).toHaveURL(/\/clusters\/large\?q=app-00$/);
  await expect(page.getByText("99 of 2004 namespaces match")).toBeVisible();
  await expect(page.getByRole("option", { name: "Any state (99)" })).toBeAttached();
  await expect(firstName()).toHaveText("app-0001");

  await table.getByRole("button", { name: /^Namespace/ }).click();
  await expect(page).toHaveURL(/\/clusters\/large\?q=app-00&dir=desc$/);
  await expect(firstName()).toHaveText("app-0099");
  await expect(table.getByRole("columnheader", { name: /^Namespace/ })).toHaveAttribute("aria-sort", "descending");

  // A shared link opens the same view.
  const shared = await page.context().newPage();
  await shared.goto(page.url());
  const sharedTable = await matrixReady(shared);
  await expect(sharedTable.locator("tbody th a").first()).toHaveText("app-0099");
  await expect(shared.getByRole("searchbox", { name: "Search" })).toHaveValue("app-00");
  await expect(shared.getByText("99 of 2004 namespaces match")).toBeVisible();
  await shared.close();
});

test("namespace: secrets without values, dangling references flagged, images that cannot pull", async ({ operator: page }) => {
  await page.goto("/clusters/regional/namespaces/web-staging");
  await expect(page.getByRole("heading", { level: 1, name: "web-staging" })).toBeVisible();
  await expect(page.getByText(/\d+ references? to missing secrets/)).toBeVisible();
  const accounts = page.getByRole("table", { name: /Service accounts in web-staging/ });
  await expect(accounts.getByText("web-staging-us-icr-io (not found)")).toBeVisible();
  const workloads = page.getByRole("table", { name: /Workloads in web-staging/ });
  await expect(workloads.getByText(/at risk: its pull secret does not exist/).first()).toBeVisible();
  await expect(page.getByRole("link", { name: "Copy here" })).toHaveAttribute("href", "/clusters/regional/workflows/copy?namespaces=web-staging");
  await expect(page.getByRole("link", { name: "Create scoped credentials" })).toHaveAttribute("href", "/clusters/regional/workflows/scoped?namespace=web-staging");
  await checkPage(page, "namespace-web-staging");

  await page.goto("/clusters/regional/namespaces/checkout");
  const secrets = page.getByRole("table", { name: /Image pull secrets in checkout/ });
  await expect(secrets.getByText("stale: differs from its source").first()).toBeVisible();
  await expect(secrets.getByText(/IBM Cloud API key/).first()).toBeVisible();
  await expect(secrets.getByText("never verified").first()).toBeVisible();

  // Verify asks the registry (the simulator when REGISTRY_ENDPOINT_TEMPLATE is set); whatever it says, a result and an audit record appear.
  await secrets.getByRole("button", { name: "Verify checkout-us-icr-io" }).click();
  await expect(secrets.getByText(/of 1 registry accepted the credentials of checkout\/checkout-us-icr-io/)).toBeVisible({ timeout: 30_000 });
  await expect(secrets.getByRole("link", { name: "Audit record" })).toHaveAttribute("href", /^\/audit\//);
  // The same check asked IAM who owns the key: the pre-rotation key no longer exists.
  await expect(secrets.getByText("key no longer exists in IAM").first()).toBeVisible({ timeout: 30_000 });
  await checkPage(page, "namespace-checkout");
});

test("cluster: a verified revoked key is red like a missing registry; a registry nobody needs is neutral grey", async ({ operator: page }) => {
  await page.goto("/clusters/regional/namespaces/checkout");
  const secrets = page.getByRole("table", { name: /Image pull secrets in checkout/ });
  await secrets.getByRole("button", { name: "Verify checkout-us-icr-io" }).click();
  await expect(secrets.getByText(/of 1 registry accepted the credentials of checkout\/checkout-us-icr-io/)).toBeVisible({ timeout: 30_000 });

  await page.goto("/clusters/regional");
  const table = await matrixReady(page);
  const cell = (ns: string, registry: string, state: string) => table.getByRole("button", { name: new RegExp(`^${ns}, ${registry.replaceAll(".", "\\.")}: ${state}`) });
  const rejected = cell("checkout", "us.icr.io", "Rejected");
  const missing = cell("payments", "uk.icr.io", "Missing");
  const notNeeded = cell("payments", "registry.example.com", "Not needed");
  await expect(rejected).toBeVisible();
  await expect(notNeeded).toBeVisible();
  const colours = async (button: typeof rejected) => button.evaluate((el) => ({ border: getComputedStyle(el).borderLeftColor, background: getComputedStyle(el).backgroundColor }));
  const red = await colours(missing);
  expect(await colours(rejected)).toEqual(red);
  const grey = await colours(notNeeded);
  expect(grey.border).not.toBe(red.border);
  expect(grey.background).not.toBe(red.background);
  await expect(page.getByRole("list", { name: "Legend" }).getByText("Not needed")).toBeVisible();

  await rejected.click();
  const panel = page.getByRole("complementary", { name: /checkout · us\.icr\.io/ });
  await expect(panel.getByTestId("cell-rejection")).toHaveText(/checkout-us-icr-io: rejected by us\.icr\.io on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC: .*HTTP 401/, { timeout: 30_000 });
  await expect(panel.getByTestId("cell-need")).toContainText("IKS convention");
  await page.keyboard.press("Escape");
  await notNeeded.click();
  await expect(page.getByRole("complementary", { name: /payments · registry\.example\.com/ }).getByTestId("cell-need")).toContainText("Not needed here");
  await page.keyboard.press("Escape");
  await page.getByLabel("State", { exact: true }).selectOption("not_needed");
  await page.getByLabel("in registry", { exact: true }).selectOption("registry.example.com");
  await expect(table.getByRole("rowheader", { name: /^payments\b/ })).toBeVisible();
  await expect(table.getByRole("rowheader", { name: /^monitoring\b/ })).toHaveCount(0);
});

test("whose key: a team's own service ID is named after a Verify, and its secret is never called a stale copy", async ({ operator: page }) => {
  await page.goto("/clusters/regional/namespaces/payments");
  const secrets = page.getByRole("table", { name: /Image pull secrets in payments/ });
  const team = secrets.getByRole("row").filter({ has: page.getByRole("rowheader", { name: /payments-team-puller/ }) });
  await expect(team.getByText("owner not checked yet (Verify asks IAM)")).toBeVisible();
  await team.getByRole("button", { name: "Verify payments-team-puller" }).click();
  await expect(team.getByText(/key of service ID team-payments-puller, created/)).toBeVisible({ timeout: 30_000 });
  await expect(team.getByText(/stale/)).toHaveCount(0);
  await expect(team.getByText(/copy of/)).toHaveCount(0);
});

test("settings: clusters and their sources, IBM Cloud identity, registry domains, limits; no credentials", async ({ operator: page }) => {
  await page.goto("/settings");
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  const clusters = page.getByRole("table", { name: "Clusters (kubeconfig contexts)" });
  for (const name of ["legacy", "regional", "modern", "large"]) await expect(clusters.getByRole("rowheader", { name })).toBeVisible();
  await expect(page.getByRole("table", { name: /Discontinued domains/ }).getByRole("rowheader", { name: "registry.ng.bluemix.net" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Concurrency limits and timeouts" })).toBeVisible();
  await checkPage(page, "settings");
});

test("a viewer sees coverage but no copy, attach, verify or delete controls", async ({ viewer: page }) => {
  await page.goto("/clusters/regional");
  await matrixReady(page);
  await expect(page.getByText("copying and attaching need an operator")).toBeVisible();
  await expect(page.getByRole("link", { name: "Copy pull secrets…" })).toHaveCount(0);
  await page.goto("/clusters/regional/namespaces/checkout");
  await expect(page.getByRole("button", { name: /^Verify / })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Delete / })).toHaveCount(0);
});
