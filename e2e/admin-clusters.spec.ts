import fs from "node:fs";
import https from "node:https";
import path from "node:path";
import { load as loadYaml } from "js-yaml";
import { expect, expectAccessible, screenshot, test } from "./fixtures";

/**
 * The admin clusters page on the demo fleet: every cluster listed with its source and credential, a label edited,
 * a connection tested through the live gateway, a cluster registered from an uploaded kubeconfig (the demo's own
 * file, whose admin context may create RBAC) and removed with the objects it created, checked on the simulated API
 * server itself. Viewers and operators never see the page.
 */

const KUBECONFIG = path.resolve("data/e2e/kubeconfig");
const REGISTERED = "e2e-registered";

interface Kubeconfig {
  "current-context": string;
  contexts: { name: string; context: { cluster: string; user: string } }[];
  clusters: { name: string; cluster: { server: string; "certificate-authority-data"?: string } }[];
  users: { name: string; user: { token?: string } }[];
}

/** GET on the current context's API server as its admin user: the HTTP status only. */
async function apiStatus(kubeconfigText: string, apiPath: string): Promise<number> {
  const kc = loadYaml(kubeconfigText) as Kubeconfig;
  const ctx = kc.contexts.find((c) => c.name === kc["current-context"])!.context;
  const cluster = kc.clusters.find((c) => c.name === ctx.cluster)!.cluster;
  const token = kc.users.find((u) => u.name === ctx.user)!.user.token!;
  const ca = cluster["certificate-authority-data"] ? Buffer.from(cluster["certificate-authority-data"], "base64") : undefined;
  return new Promise((resolve, reject) => {
    const req = https.get(new URL(apiPath, cluster.server), { ca, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
  });
}

const REGISTRATION_OBJECTS = [
  "/api/v1/namespaces/kube-system/serviceaccounts/pullkeeper",
  "/api/v1/namespaces/kube-system/secrets/pullkeeper-token",
  "/apis/rbac.authorization.k8s.io/v1/clusterroles/pullkeeper-registered",
  "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/pullkeeper-registered",
];

test("an admin lists the clusters, labels one, tests a connection, registers a cluster from a kubeconfig and removes it with its objects", async ({ admin: page }) => {
  test.setTimeout(180_000);
  const kubeconfig = fs.readFileSync(KUBECONFIG);
  const upload = { name: "kubeconfig.yaml", mimeType: "text/yaml", buffer: kubeconfig };

  await page.getByRole("link", { name: "Clusters", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Clusters" })).toBeVisible();
  await expect(page.getByRole("link", { name: "IBM Cloud accounts" })).toHaveAttribute("href", "/admin/clusters/accounts");
  const rowOf = (name: string) => page.getByRole("row").filter({ has: page.getByText(name, { exact: true }) });
  const regional = rowOf("regional");
  await expect(regional.getByText("Kubeconfig context", { exact: true })).toBeVisible();
  await expect(regional.getByText(/^Kubeconfig user ".*" with a bearer token$/)).toBeVisible();
  await expectAccessible(page, "clusters");

  // A label Kubernetes would refuse is refused with the reason; a valid one is saved and shown.
  const labels = page.getByRole("textbox", { name: "Labels of regional" });
  await labels.fill("env=e2e\n-bad=1");
  await regional.getByRole("button", { name: "Save name and labels" }).click();
  await expect(regional.getByText(/"-bad" is not a label key: use letters, digits/)).toBeVisible();
  await expect(regional.getByRole("list", { name: "Labels" })).toHaveCount(0);
  await expect(labels).toHaveValue("env=e2e\n-bad=1");
  await labels.fill("env=e2e, region=eu-de");
  await page.getByRole("textbox", { name: "Display name of regional" }).fill("Regional (e2e)");
  await regional.getByRole("button", { name: "Save name and labels" }).click();
  await expect(regional.getByRole("list", { name: "Labels" }).getByText("env=e2e")).toBeVisible();
  await expect(regional.getByText("Regional (e2e)", { exact: true })).toBeVisible();

  await page.getByRole("button", { name: "Test connection to regional" }).click();
  await expect(regional.getByText(/^Reachable in \d+ ms · Kubernetes v\d/)).toBeVisible();

  // Back as it was: the journeys after this one find the demo's clusters unlabelled and under their own names.
  await labels.fill("");
  await page.getByRole("textbox", { name: "Display name of regional" }).fill("");
  await regional.getByRole("button", { name: "Save name and labels" }).click();
  await expect(regional.getByRole("list", { name: "Labels" })).toHaveCount(0);
  await expect(regional.getByText("Regional (e2e)", { exact: true })).toHaveCount(0);

  // Register: upload the demo's kubeconfig, preview what would be created, register.
  for (const object of REGISTRATION_OBJECTS) expect(await apiStatus(kubeconfig.toString(), object), object).toBe(404);
  const register = page.getByRole("region", { name: "Register a cluster" });
  // A context Pullkeeper already reads can be the admin context too: its preview names that context.
  await register.getByRole("radio", { name: "A context Pullkeeper reads (KUBECONFIG)" }).check();
  await register.getByRole("combobox", { name: "KUBECONFIG context" }).selectOption("modern");
  await register.getByRole("textbox", { name: "Cluster name in Pullkeeper" }).fill(REGISTERED);
  await register.getByRole("button", { name: "Preview" }).click();
  await expect(register.getByText(/, context modern$/)).toBeVisible();
  await register.getByRole("radio", { name: "Upload a kubeconfig" }).check();
  await register.getByLabel("Kubeconfig file").setInputFiles(upload);
  await expect(register.getByRole("combobox", { name: "Context" })).toBeEnabled();
  await register.getByRole("textbox", { name: "Cluster name in Pullkeeper" }).fill(REGISTERED);
  await register.getByRole("button", { name: "Preview" }).click();
  await expect(register.getByRole("table", { name: "What registering does" })).toBeVisible();
  await expect(register.getByRole("cell", { name: "ServiceAccount kube-system/pullkeeper", exact: true })).toBeVisible();
  await register.getByRole("button", { name: "Register" }).click();
  await expect(register.getByRole("status")).toBeVisible({ timeout: 30_000 });
  for (const object of REGISTRATION_OBJECTS) expect(await apiStatus(kubeconfig.toString(), object), object).toBe(200);

  await page.reload();
  const registered = rowOf(REGISTERED);
  await expect(registered.getByText("Registered", { exact: true })).toBeVisible();
  await expect(registered.getByText(/pullkeeper service account/)).toBeVisible();
  await page.getByRole("button", { name: `Test connection to ${REGISTERED}` }).click();
  await expect(registered.getByText(/^Reachable in \d+ ms/)).toBeVisible();
  await screenshot(page, "admin-clusters");

  // Remove it with its objects, with the same kubeconfig (which may delete them).
  await registered.getByText("Remove…").click();
  const removal = page.getByRole("region", { name: `Remove cluster ${REGISTERED}` });
  await removal.getByLabel("Kubeconfig file").setInputFiles(upload);
  await removal.getByRole("button", { name: "Preview removal" }).click();
  await expect(removal.getByText(/ServiceAccount kube-system\/pullkeeper/)).toBeVisible();
  await removal.getByRole("button", { name: `Remove ${REGISTERED}` }).click();
  // The page refreshes after the removal: the cluster's row (with its panel) goes.
  await expect(rowOf(REGISTERED)).toHaveCount(0, { timeout: 30_000 });
  for (const object of REGISTRATION_OBJECTS) expect(await apiStatus(kubeconfig.toString(), object), object).toBe(404);
  await page.reload();
  await expect(rowOf(REGISTERED)).toHaveCount(0);
  await expect(rowOf("regional")).toHaveCount(1);
});

async function refused(page: import("@playwright/test").Page): Promise<void> {
  await expect(page.getByRole("link", { name: "Clusters", exact: true })).toHaveCount(0);
  await page.goto("/admin/clusters");
  await expect(page).toHaveURL(/\/forbidden/);
  await expect(page.getByRole("heading", { name: "Clusters" })).toHaveCount(0);
}

test("an operator cannot see the clusters page", async ({ operator: page }) => {
  await refused(page);
});

test("a viewer cannot see the clusters page", async ({ viewer: page }) => {
  await refused(page);
});
