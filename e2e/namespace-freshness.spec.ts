import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { expect, expectAccessible, screenshot, test } from "./fixtures";

/**
 * A namespace created after the cluster's scan opens at once (no Rescan needed), and an address that names no
 * namespace says which scan was looked in and offers Rescan, which answers without an error.
 */

const KUBECTL = ["/usr/lib/google-cloud-sdk/bin/kubectl.1.33", "/usr/bin/kubectl", "/usr/lib/google-cloud-sdk/bin/kubectl"].find((path) => fs.existsSync(path))!;
const kubectl = (...args: string[]) => execFileSync(KUBECTL, ["--kubeconfig", "data/e2e/kubeconfig", "--context", "regional", ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

test("a namespace newer than the scan opens, and one that is nowhere names the scan and offers Rescan", async ({ operator: page }) => {
  await page.goto("/clusters/regional");
  await expect(page.getByRole("heading", { name: "regional", level: 1 })).toBeVisible();
  const name = `e2e-fresh-${Date.now().toString(36)}`;
  kubectl("create", "namespace", name);
  await page.goto(`/clusters/regional/namespaces/${name}`);
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible({ timeout: 20_000 });

  await page.goto("/clusters/regional/namespaces/e2e-no-such-namespace");
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText(/Namespace e2e-no-such-namespace is not in the scan of regional from/)).toBeVisible();
  await expectAccessible(page, "namespace not in the scan");
  await screenshot(page, "namespace-not-in-scan");
  await page.getByRole("button", { name: "Rescan regional" }).click();
  await expect(page.getByRole("button", { name: "Rescan regional" })).toBeEnabled({ timeout: 20_000 });
  // The Rescan button says why in an alert beside it when a rescan fails (Next's route announcer is another alert).
  await expect(page.locator("span[role=alert]")).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
});
