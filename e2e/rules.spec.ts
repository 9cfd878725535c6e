import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { expect, expectAccessible, test } from "./fixtures";

/**
 * A keeping rule as an admin meets it: previewed, saved, then keeping a
 * namespace created afterwards with kubectl (the cluster watch wakes the rule;
 * nobody touches Pullkeeper), its run in the audit log, and a same-name secret
 * someone else made shown as a conflict and decided. The rule selects only
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

test("an admin previews and saves an enforce rule; it keeps a namespace created later, logs its run, and shows a conflict to decide", async ({ admin: page }) => {
  test.setTimeout(120_000);
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
  await form.getByRole("textbox", { name: "Registries", exact: true }).fill("icr.io");
  await form.getByRole("textbox", { name: "Source secrets", exact: true }).fill("default-icr-io");
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

  // Someone else's same-name secret in a namespace that comes into scope: a conflict, decided with one click.
  kubectl("create", "namespace", "aa-rules-taken");
  kubectl("create", "secret", "docker-registry", "aa-rules-taken-icr-io", "-n", "aa-rules-taken", "--docker-server=icr.io", "--docker-username=someone-else", "--docker-password=not-from-the-rule");
  kubectl("label", "namespace", "aa-rules-taken", LABEL);
  await page.goBack();
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
