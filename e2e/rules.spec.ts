import { execFileSync } from "node:child_process";
import fs from "node:fs";
import type { Page } from "@playwright/test";
import { expect, expectAccessible, test } from "./fixtures";

/**
 * A keeping rule as an admin meets it: previewed, saved, then keeping a
 * namespace created afterwards with kubectl (the cluster watch wakes the rule;
 * nobody touches Pullkeeper), its run in the audit log, a Deployment whose pods
 * cannot pull (no credential) brought to Running by the rule's fix and restart
 * once its namespace comes into scope, and a same-name secret someone else made
 * shown as a conflict and decided. The rule selects only
 * namespaces labelled for this test, so the demo fleet's other namespaces (which
 * other specs read) stay as they are.
 */

const RULE = "icr-regional-e2e";
const LABEL = "pullkeeper-e2e=rules";
const KUBECTL = ["/usr/lib/google-cloud-sdk/bin/kubectl.1.33", "/usr/bin/kubectl", "/usr/lib/google-cloud-sdk/bin/kubectl"].find((path) => fs.existsSync(path))!;

/** kubectl against the simulated `regional` cluster of the e2e stack (its kubeconfig is under data/e2e). */
function kubectl(...args: string[]): string {
  return execFileSync(KUBECTL, ["--kubeconfig", "data/e2e/kubeconfig", "--context", "regional", ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function secretExists(namespace: string, name: string): boolean {
  try {
    kubectl("get", "secret", name, "-n", namespace, "-o", "name");
    return true;
  } catch {
    return false;
  }
}

/** The phases of the pods of a namespace, as kubectl shows them. */
function podPhases(namespace: string): string[] {
  return kubectl("get", "pods", "-n", namespace, "-o", "jsonpath={.items[*].status.phase}").split(/\s+/).filter(Boolean);
}

/** Why each container of a namespace's pods is waiting, as kubectl shows it (none for a running one). */
function waitingReasons(namespace: string): string[] {
  return kubectl("get", "pods", "-n", namespace, "-o", "jsonpath={.items[*].status.containerStatuses[*].state.waiting.reason}").split(/\s+/).filter(Boolean);
}

/**
 * Scans regional again from its page, as a person would after a change the cluster watch does not report: pods are
 * not watched (no rule depends on them), so a page may show a scan from before they failed or ran. Rescans are
 * limited per user and minute: callers space their attempts.
 */
async function rescanRegional(page: Page): Promise<void> {
  await page.goto("/clusters/regional");
  const scanned = page.waitForResponse((response) => response.url().endsWith("/api/clusters/regional/scan") && response.request().method() === "POST");
  await page.getByRole("button", { name: "Rescan regional" }).click();
  expect((await scanned).status()).toBe(200);
}

/** At most one rescan every 10 s: well under the rescan limit (6 per user and minute). */
const RESCAN_SPACING = { intervals: [10_000], timeout: 90_000 };

test("an admin previews and saves an enforce rule; it keeps a namespace created later, logs its run, brings failing pods to Running, and shows a conflict to decide", async ({ admin: page }) => {
  // Many page loads, three accessibility checks and two pod rollouts: minutes on a loaded two-core machine.
  test.setTimeout(420_000);
  kubectl("create", "namespace", "aa-rules-first");
  kubectl("label", "namespace", "aa-rules-first", LABEL);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Rules" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Keeping rules" })).toBeVisible();
  await page.getByRole("link", { name: "New rule" }).click();
  const form = page.getByRole("form", { name: "New keeping rule" });
  await form.getByRole("textbox", { name: "Name", exact: true }).fill(RULE);
  await form.getByRole("radio", { name: /^Enforce/ }).check();
  await form.getByRole("radio", { name: "These clusters:" }).check();
  await form.getByRole("checkbox", { name: "regional" }).check();
  await form.getByRole("radio", { name: "Matching a label selector" }).check();
  await form.getByRole("textbox", { name: "Label selector", exact: true }).fill(LABEL);
  await form.getByRole("textbox", { name: "Registries", exact: true }).fill("icr.io\nus.icr.io");
  await form.getByRole("textbox", { name: "Source secrets", exact: true }).fill("default-icr-io\ndefault-us-icr-io");
  await form.getByRole("checkbox", { name: "Restart Deployments, StatefulSets and DaemonSets whose pods predate a fix" }).check();
  await expect(form.getByRole("button", { name: "Create rule" })).toBeDisabled();

  await form.getByRole("button", { name: "Preview blast radius" }).click();
  const radius = form.getByRole("table", { name: "Blast radius per cluster" });
  const regional = radius.getByRole("row", { name: /^regional\b/ });
  await expect(regional.getByRole("cell").nth(0)).toHaveText("1");
  await expect(regional.getByRole("cell").nth(1)).toHaveText("1");
  await expect(regional).toContainText("aa-rules-first");
  await expectAccessible(page, "new rule with its blast radius");
  // A change after the preview asks for a new one before saving.
  await form.getByRole("textbox", { name: "Description", exact: true }).fill("Every labelled namespace of regional pulls from icr.io");
  await expect(form.getByRole("button", { name: "Create rule" })).toBeDisabled();
  await form.getByRole("button", { name: "Preview blast radius" }).click();
  await form.getByRole("button", { name: "Create rule" }).click();
  await expect(page.getByRole("heading", { level: 1, name: RULE })).toBeVisible();

  // The rule's first run copies the secret into the labelled namespace; a namespace created now is kept by the watch alone.
  await expect.poll(() => secretExists("aa-rules-first", "aa-rules-first-icr-io"), { timeout: 30_000 }).toBe(true);
  kubectl("create", "namespace", "aa-rules-new");
  kubectl("label", "namespace", "aa-rules-new", LABEL);
  await expect.poll(() => secretExists("aa-rules-new", "aa-rules-new-icr-io"), { timeout: 30_000 }).toBe(true);

  const statusRow = page.getByRole("table", { name: "State of the rule per cluster" }).getByRole("row", { name: /^regional/ });
  await expect(async () => {
    await page.reload();
    await expect(statusRow.getByRole("cell").nth(0)).toHaveText(/^Kept/);
    await expect(statusRow.getByRole("cell").nth(1)).toHaveText("2");
  }).toPass({ timeout: 30_000 });
  await expectAccessible(page, "rule page");

  // The cell of the new namespace is covered, and says which rule keeps it.
  await page.goto("/clusters/regional");
  const cell = page.getByRole("table", { name: "Coverage matrix" }).getByRole("button", { name: "aa-rules-new, icr.io: Covered" });
  await expect(cell).toBeVisible({ timeout: 30_000 });
  await cell.click();
  await expect(page.getByRole("complementary").getByText(`Kept by rule ${RULE}`)).toBeVisible();

  // The rule's run in the audit log, as the rule.
  await page.goto("/rules");
  await page.getByRole("link", { name: RULE }).click();
  await statusRow.getByRole("link", { name: "Run on regional" }).click();
  await expect(page.getByText(`rule:${RULE} (rule)`)).toBeVisible();

  // A team's Deployment pulling from us.icr.io in a namespace the rule does not keep yet: its pods cannot pull, first
  // as the cluster says (kubectl), then on the namespace page with the cause.
  kubectl("create", "namespace", "aa-rules-shop");
  kubectl("create", "deployment", "api", "--image=us.icr.io/team/api:1.4", "--replicas=2", "-n", "aa-rules-shop");
  await expect
    .poll(() => waitingReasons("aa-rules-shop").filter((reason) => reason === "ErrImagePull" || reason === "ImagePullBackOff").length, { timeout: 60_000, intervals: [1_000] })
    .toBe(2);
  const pulls = page.getByRole("region", { name: /^Pulls/ });
  await expect(async () => {
    await rescanRegional(page);
    await page.goto("/clusters/regional/namespaces/aa-rules-shop");
    await expect(pulls.getByText("2 pods cannot pull us.icr.io/team/api:1.4 — no credential for us.icr.io")).toBeVisible({ timeout: 5_000 });
  }).toPass(RESCAN_SPACING);
  // Into the rule's scope with kubectl: the rule copies and attaches the secret and restarts the Deployment, and its
  // pods pull and run, with nobody touching Pullkeeper.
  kubectl("label", "namespace", "aa-rules-shop", LABEL);
  await expect.poll(() => podPhases("aa-rules-shop"), { timeout: 120_000, intervals: [1_000] }).toEqual(["Running", "Running"]);
  await expect(async () => {
    await rescanRegional(page);
    await expect(page.getByRole("table", { name: "Coverage matrix" }).getByRole("button", { name: "aa-rules-shop, us.icr.io: Covered" })).toBeVisible({ timeout: 5_000 });
    await page.goto("/clusters/regional/namespaces/aa-rules-shop");
    await expect(page.getByText("Every pod in aa-rules-shop pulled its images, and every running one could pull them again.")).toBeVisible({ timeout: 5_000 });
  }).toPass(RESCAN_SPACING);
  // The rule's run for it restarted the Deployment and followed its pods until they ran.
  await page.goto("/rules");
  await page.getByRole("link", { name: RULE }).click();
  await statusRow.getByRole("link", { name: "Run on regional" }).click();
  // On the run's page before reloading it: a reload while the link's navigation is under way would stay on the rule's page.
  await expect(page.getByText(`rule:${RULE} (rule)`)).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("row", { name: /workload\.restarted Deployment aa-rules-shop\/api succeeded/ })).toBeVisible({ timeout: 5_000 });
    await expect(page.getByRole("row", { name: /workload\.pods_followed Deployment aa-rules-shop\/api succeeded/ })).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
  await page.goBack();

  // Someone else's same-name secret in a namespace that comes into scope: a conflict, decided with one click.
  kubectl("create", "namespace", "aa-rules-taken");
  kubectl("create", "secret", "docker-registry", "aa-rules-taken-icr-io", "-n", "aa-rules-taken", "--docker-server=icr.io", "--docker-username=someone-else", "--docker-password=not-from-the-rule");
  kubectl("label", "namespace", "aa-rules-taken", LABEL);
  const conflicts = page.getByRole("heading", { name: /^Conflicts/ });
  await expect(async () => {
    await page.reload();
    await expect(conflicts).toHaveText("Conflicts (1)");
  }).toPass({ timeout: 30_000 });
  await expect(page.getByText(/A different secret named aa-rules-taken\/aa-rules-taken-icr-io exists/)).toBeVisible();
  const decision = page.getByRole("form", { name: "Decide the conflict on aa-rules-taken-icr-io in aa-rules-taken" });
  await decision.getByRole("button", { name: "Skip" }).click();
  await expect(decision.getByText("Decided; the rule is evaluated again.")).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(conflicts).toHaveText("Conflicts (0)");
  }).toPass({ timeout: 30_000 });
  // Skipped: the secret someone else made is left as it was.
  expect(kubectl("get", "secret", "aa-rules-taken-icr-io", "-n", "aa-rules-taken", "-o", "jsonpath={.metadata.annotations}")).not.toMatch(/pullkeeper/);
});
