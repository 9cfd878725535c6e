import { DEMO_CLUSTER_ACCESS_SERVICE_ID, DEMO_CLUSTER_SERVICE_IDS } from "../sim/demo-credentials";
import { expect, expectAccessible, screenshot, test } from "./fixtures";
import { CloudAccountsPage } from "./pages/cloud-accounts-page";

/**
 * The demo account's clusters this journey adds, as IBM Cloud names them, and the names they get beside the kubeconfig's
 * contexts of the same clusters. `large` (2,000 namespaces) is discovered but left out: adding it would have the background
 * scans and watches read it a second time in the serial run; the token-renewal journey adds all four on its own stack.
 */
const DEMO_CLUSTERS = { legacy: "legacy-us-south", regional: "regional-eu-de", modern: "modern-us-east" } as const;

test("an admin connects the demo IBM Cloud account, adds its clusters, reaches them, and removes the account with them", async ({ admin: page }) => {
  const accounts = new CloudAccountsPage(page);
  await accounts.open();
  await expect(page.getByText("No IBM Cloud account is connected. Connect one below.")).toBeVisible();
  await expectAccessible(page, "cloud accounts, empty");

  // A revoked key: a clear refusal, nothing stored, and the key field emptied.
  let form = await accounts.connect("Demo account", DEMO_CLUSTER_SERVICE_IDS.regional.revokedApiKey);
  await expect(form.getByRole("alert")).toContainText("IAM does not");
  await expect(form.getByRole("alert")).toContainText("Nothing was stored");
  await expect(form.getByLabel("IBM Cloud API key")).toHaveValue("");
  await expect(form.getByRole("textbox", { name: "Display name" })).toHaveValue("Demo account");

  form = await accounts.connect("Demo account", DEMO_CLUSTER_ACCESS_SERVICE_ID.apiKey);
  // Whose key: IAM's details lookup names the service ID (its name shows only where the key may read its own service ID).
  await expect(form.getByRole("status")).toContainText(/Connected Demo account with the key of the service ID iam-ServiceId-[0-9a-f-]+, created \d{4}-\d\d-\d\d/);
  await expect(form.getByLabel("IBM Cloud API key")).toHaveValue("");
  expect(await page.content()).not.toContain(DEMO_CLUSTER_ACCESS_SERVICE_ID.apiKey);
  await expect(page.getByRole("table", { name: "Connected IBM Cloud accounts" }).getByRole("row", { name: /Demo account/ })).toContainText("iam-ServiceId-");

  await form.getByRole("link", { name: "Discover its clusters" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Demo account" })).toBeVisible();
  for (const name of [...Object.keys(DEMO_CLUSTERS), "large"]) await expect(accounts.discovered.getByRole("checkbox", { name: `Choose ${name}` })).toBeEnabled();
  await expect(accounts.discovered.getByRole("row", { name: /regional/ })).toContainText("eu-de");
  await expect(accounts.discovered.getByRole("row", { name: /regional/ })).toContainText("prod");
  await expect(accounts.discovered.getByRole("row", { name: /regional/ })).toContainText("env:prod");
  await expect(page.getByText("No cluster of this account is added yet.")).toBeVisible();
  await expectAccessible(page, "cloud account, discovered");

  await accounts.addClusters(Object.keys(DEMO_CLUSTERS));
  // Each added cluster is asked, with the account's IAM token, whether it answers as the page renders.
  for (const name of Object.values(DEMO_CLUSTERS)) await expect(accounts.addedRow(name).getByText("Reachable", { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(accounts.discovered.getByText(`Added as ${DEMO_CLUSTERS.legacy}`)).toBeVisible();
  await expect(accounts.addedRow(DEMO_CLUSTERS.legacy).getByTestId("last-refresh")).toContainText(/\d+s ago/);
  await expect(accounts.discovered.getByRole("checkbox", { name: "Choose large" })).toBeEnabled();
  await accounts.addedRow(DEMO_CLUSTERS.legacy).getByRole("button", { name: `Test the connection to ${DEMO_CLUSTERS.legacy}` }).click();
  await expect(accounts.addedRow(DEMO_CLUSTERS.legacy).getByRole("status")).toContainText("Answers as");
  await screenshot(page, "cloud-account");

  // The added cluster is one more cluster of Pullkeeper's, read through the live gateway without a restart.
  await accounts.addedRow(DEMO_CLUSTERS.legacy).getByRole("link", { name: DEMO_CLUSTERS.legacy }).click();
  await expect(page).toHaveURL(new RegExp(`/clusters/${DEMO_CLUSTERS.legacy}`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(DEMO_CLUSTERS.legacy);
  await expect(page.getByRole("rowheader", { name: /^default\b/ }).first()).toBeVisible({ timeout: 30_000 });

  // Removal lists what goes with the account, and the other journeys find the fleet as it was.
  await page.goBack();
  await page.getByRole("button", { name: "Remove account…" }).click();
  const confirm = page.getByRole("region", { name: "Confirm removing Demo account" });
  for (const name of Object.values(DEMO_CLUSTERS)) await expect(confirm.getByRole("list", { name: "Clusters removed with the account" })).toContainText(name);
  await confirm.getByRole("button", { name: "Remove Demo account and its 3 cluster(s)" }).click();
  await page.goto("/admin/clusters/accounts");
  await expect(page.getByText("No IBM Cloud account is connected. Connect one below.")).toBeVisible();
});

test("the IBM Cloud accounts page is for admins only", async ({ operator: page }) => {
  await page.goto("/admin/clusters/accounts");
  await expect(page).toHaveURL(/\/forbidden/);
  await expect(page.getByRole("heading", { name: "IBM Cloud accounts" })).toHaveCount(0);
});
