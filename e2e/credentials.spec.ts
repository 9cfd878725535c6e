import { expect, expectAccessible, screenshot, test } from "./fixtures";

/**
 * The credential-creating workflows as an operator uses them in the browser:
 * scoped IAM credentials for one namespace (then its undo from the audit log),
 * and a secret for a private registry whose password never comes back.
 */
test.describe.configure({ mode: "serial", retries: 0 });

test("scoped IAM credentials for a namespace, verified and attached, then undone from the audit log", async ({ operator: page, workflow }) => {
  await page.goto("/clusters/modern/namespaces/orders");
  await page.getByRole("link", { name: "Create scoped credentials" }).click();
  await expect(workflow.heading("Create scoped IAM credentials")).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Namespace", exact: true })).toHaveValue("orders");
  await page.getByLabel("Role on Container Registry").selectOption("Reader");
  const preview = await workflow.preview();
  await expect(preview).toContainText("Find or create service ID modern-orders-id");
  await expect(preview).toContainText("Create API key modern-orders-key");
  await expectAccessible(page, "scoped preview");
  await workflow.apply(/^Create credentials \(\d+ changes\)$/);
  await workflow.expectStatus("Status: succeeded");
  await screenshot(page, "scoped-result");

  await workflow.resultRegion.getByRole("link", { name: "Audit record" }).click();
  await page.getByRole("link", { name: "Undo…" }).click();
  await expect(workflow.heading(/^Undo create scoped credentials/)).toBeVisible();
  const undoPreview = workflow.previewRegion;
  await expect(undoPreview).toContainText("Delete orders/orders-icr-io");
  await expect(undoPreview).toContainText("Delete API key modern-orders-key");
  await workflow.apply(/^Undo \(\d+ changes\)$/);
  await workflow.expectStatus("Status: succeeded");

  await page.goto("/clusters/modern/namespaces/orders");
  await expect(page.getByRole("heading", { level: 1, name: "orders" })).toBeVisible();
  await expect(page.getByRole("main")).not.toContainText("orders-icr-io");
});

test("a private-registry secret: the password is sent once and never shown again", async ({ operator: page, workflow }) => {
  const password = "typed-in-form-9f8e7d6c5b4a";
  await workflow.open("modern", "private-registry", { namespace: "observability" });
  await page.getByLabel("Secret name").fill("example-registry");
  await page.getByLabel("Registry server").fill("registry.example.com");
  await page.getByLabel("Username").fill("robot-ci");
  await page.getByLabel("Password or token").fill(password);
  await page.getByLabel("Verify the credential against the registry after writing").uncheck();
  await expect(await workflow.preview()).toContainText("Create observability/example-registry for registry.example.com with user robot-ci");
  await workflow.apply(/^Create secret \(\d+ changes?\)$/);
  await workflow.expectStatus("Status: succeeded");

  await page.goto("/clusters/modern/namespaces/observability");
  const secrets = page.getByRole("table", { name: /Image pull secrets in observability/ });
  await expect(secrets).toContainText("registry.example.com");
  await expect(secrets).toContainText("robot-ci");
  expect(await page.content()).not.toContain(password);
  await page.goto("/audit?kind=create_private_registry_secret");
  await page.getByRole("table").getByRole("link").first().click();
  expect(await page.content()).not.toContain(password);
  await expect(page.getByText('"username": "robot-ci"')).toBeVisible();
});
