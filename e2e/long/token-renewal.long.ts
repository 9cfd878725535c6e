import { DEMO_CLUSTER_ACCESS_SERVICE_ID } from "../../sim/demo-credentials";
import { expect, test } from "../fixtures";
import { CloudAccountsPage } from "../pages/cloud-accounts-page";

/**
 * With IAM tokens of 60 s (the simulator's --iam-token-ttl-seconds 60, playwright.tokens.config.ts), the
 * demo account's clusters stay reachable for ten minutes with nobody acting: the page is only looked at
 * once a minute, each look asking every added cluster with the token the server holds then, and the
 * renewals happen in the background. Runs beside the main end-to-end run (scripts/test.sh); it mostly waits.
 */

const WATCH_MINUTES = 10;
const TOKEN_TTL_SECONDS = 60;
const ADDED = ["legacy-us-south", "regional-eu-de", "modern-us-east", "large-eu-gb"];

test(`the fleet stays reachable for ${WATCH_MINUTES} minutes on ${TOKEN_TTL_SECONDS}-second IAM tokens without anyone acting`, async ({ admin: page }) => {
  test.setTimeout((WATCH_MINUTES + 5) * 60_000);
  const accounts = new CloudAccountsPage(page);
  await accounts.open();
  await accounts.connectAndOpen("Demo account", DEMO_CLUSTER_ACCESS_SERVICE_ID.apiKey);
  await accounts.addClusters(["legacy", "regional", "modern", "large"]);

  const renewals = async () => Number(await page.getByTestId("token-refreshes").textContent());
  const lastRefreshes = async () => Promise.all(ADDED.map(async (name) => accounts.addedRow(name).getByTestId("last-refresh").locator("time").getAttribute("datetime")));
  await page.reload();
  const renewalsAtStart = await renewals();
  const seen = new Set<string>();
  const started = Date.now();
  let looks = 0;
  while (Date.now() - started < WATCH_MINUTES * 60_000) {
    await page.waitForTimeout(60_000);
    await page.reload();
    looks += 1;
    for (const name of ADDED) await expect(accounts.addedRow(name).getByText("Reachable", { exact: true }), `${name} after ${looks} min`).toBeVisible({ timeout: 30_000 });
    for (const at of await lastRefreshes()) if (at) seen.add(at);
  }
  const renewed = (await renewals()) - renewalsAtStart;
  console.info(`[tokens] ${looks} looks over ${((Date.now() - started) / 60_000).toFixed(1)} min: every cluster reachable each time; ${renewed} IAM token renewals (TTL ${TOKEN_TTL_SECONDS} s, about ${Math.round((renewed / (Date.now() - started)) * 3_600_000)} per account per hour), ${seen.size} distinct "last refreshed" times`);
  expect(looks).toBeGreaterThanOrEqual(WATCH_MINUTES);
  // Renewed at 80 % of 60 s: about 12 in ten minutes; fewer than 8 means renewals stalled and tokens were used near expiry.
  expect(renewed).toBeGreaterThanOrEqual(8);
  expect(seen.size).toBeGreaterThanOrEqual(8);

  // The fleet page, where everyone else looks, shows the clusters reachable too.
  await page.goto("/");
  const fleet = page.getByRole("table", { name: "Clusters" });
  for (const name of ADDED) await expect(fleet.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) }).getByText("Reachable")).toBeVisible({ timeout: 60_000 });
});
