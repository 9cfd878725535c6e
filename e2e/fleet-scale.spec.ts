import path from "node:path";
import { expect, test } from "@playwright/test";
import { scaleClusterName } from "../sim/fleet/scale";
import { countAnsweredRows, signInAs, startFleetStack, type FleetStack } from "./support/fleet-stack";

/**
 * The fleet page with clusters that are slow or never answer, on a stack of its own (the four demo clusters
 * plus SCALE small ones): no cluster holds the page. Small namespaces keep it quick; the point is one cluster
 * silent for the whole request timeout while every other row shows, and the page's load event does not wait.
 */
const SCALE = 50;
const SILENT = scaleClusterName(12, SCALE);
const SLOW = scaleClusterName(6, SCALE);
// Long enough that every other cluster answers first even on a loaded machine; the silent one then turns
// unreachable after its probe's requests time out (two of them: /version, then the self-subject review).
const KUBE_TIMEOUT_MS = 30_000;
const TOTAL = 4 + SCALE;

let stack: FleetStack;

test.describe.configure({ mode: "serial" });
test.setTimeout(240_000);

test.beforeAll(async () => {
  test.setTimeout(240_000);
  stack = await startFleetStack({
    dir: path.resolve(import.meta.dirname, "../data/e2e-fleet"),
    scaleClusters: SCALE,
    scaleNamespaces: 5,
    slow: [SLOW],
    hanging: [SILENT],
    kubeTimeoutMs: KUBE_TIMEOUT_MS,
  });
});

test.afterAll(async () => {
  await stack?.stop();
});

test("a cluster that never answers holds neither the load event nor any other row, and turns unreachable after the timeout", async ({ page }) => {
  await signInAs(page, stack.baseURL, "viewer");
  // Resolves on the load event: were the page to wait for the silent cluster, this would outlast its request timeout.
  await page.goto(`${stack.baseURL}/`, { waitUntil: "load" });
  const table = page.getByRole("table", { name: "Clusters" });
  const silentRow = table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: SILENT, exact: true }) });
  await expect(silentRow).toBeVisible();
  // Every other cluster, the slow one included, shows its row while the silent one is still awaited.
  await expect.poll(() => page.evaluate(countAnsweredRows), { timeout: 60_000 }).toBe(TOTAL - 1);
  await expect(silentRow.getByRole("status")).toHaveText(/^(Scanning…|Not answering yet \(\d+ s\))$/);
  const loadEventEnd = await page.evaluate(() => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).loadEventEnd);
  expect(loadEventEnd, "the load event came before the silent cluster's request could time out").toBeLessThan(KUBE_TIMEOUT_MS);

  await expect(silentRow.getByRole("status")).toHaveText(/^Not answering yet \(\d+ s\)$/, { timeout: 30_000 });
  await expect(silentRow.getByText("Unreachable")).toBeVisible({ timeout: 150_000 });
  await expect(page.getByRole("link", { name: "1 cluster unreachable or stale" })).toBeVisible();
});

test("fifty clusters fit on two screens, worst first; the summary links to the filtered view", async ({ page }) => {
  await signInAs(page, stack.baseURL, "viewer");
  await page.goto(`${stack.baseURL}/`);
  const table = page.getByRole("table", { name: "Clusters" });
  await expect.poll(() => page.evaluate(countAnsweredRows), { timeout: 60_000 }).toBe(TOTAL);
  const body = await table.locator("tbody").boundingBox();
  const viewport = page.viewportSize()!;
  expect(body!.height, `${TOTAL} rows in ${Math.round(body!.height)} px`).toBeLessThanOrEqual(2 * viewport.height);

  const rowHeaders = await table.getByRole("rowheader").allTextContents();
  // The demo clusters all have namespaces without icr.io credentials, and workloads at risk: they come first.
  expect(rowHeaders.slice(0, 4).map((h) => h.split(" ")[0]).sort()).toEqual(["large", "legacy", "modern", "regional"]);

  await page.getByRole("link", { name: "1 cluster unreachable or stale" }).click();
  await expect(page).toHaveURL(/\?state=unreachable$/);
  await expect(table.getByRole("rowheader")).toHaveText([SILENT]);
  await page.getByRole("button", { name: "Show all" }).click();
  await expect(table.getByRole("rowheader")).toHaveCount(TOTAL);
});
