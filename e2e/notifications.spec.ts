import { expect, expectAccessible, screenshot, test } from "./fixtures";
import { verifySignature } from "../lib/notifications/signature";
import { startWebhookReceiver } from "../tests/support/webhook-receiver";

test("an admin adds a webhook target, copies its secret once, and sees a signed test delivered", async ({ admin: page }) => {
  const receiver = await startWebhookReceiver();
  try {
    await page.getByRole("link", { name: "Notifications" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
    await expect(page.getByText("No webhook targets yet. Add one below.")).toBeVisible();
    await expectAccessible(page, "notifications, empty");

    const form = page.getByRole("form", { name: "Add a webhook target" });
    await form.getByRole("textbox", { name: "Name" }).fill("e2e-alerts");
    await form.getByRole("textbox", { name: "URL" }).fill("http://169.254.169.254/latest");
    await form.getByRole("button", { name: "Add target" }).click();
    await expect(form.getByText(/does not connect to 169\.254\.169\.254:80/)).toBeVisible();

    await form.getByRole("textbox", { name: "URL" }).fill(`${receiver.url}/hooks/e2e-token-path`);
    await form.getByRole("button", { name: "Add target" }).click();
    const secretBox = form.getByRole("textbox", { name: "Signing secret of e2e-alerts" });
    await expect(secretBox).toHaveValue(/^whsec_/);
    const secret = await secretBox.inputValue();

    const row = page.getByRole("row", { name: /e2e-alerts/ });
    await expect(row.getByText(`secret ${secret.slice(0, 10)}…`)).toBeVisible();
    await row.getByRole("button", { name: "Send test" }).click();
    await expect(row.getByText("Test queued; see its delivery below.")).toBeVisible();
    await receiver.waitFor(1);
    const [request] = receiver.requests;
    expect(verifySignature(String(request!.headers["x-pullkeeper-signature"]), request!.body, secret, Date.now() / 1000)).toEqual({ ok: true });

    await page.getByRole("link", { name: "Refresh" }).click();
    const delivery = page.getByRole("table", { name: "Recent webhook deliveries" }).getByRole("row", { name: /webhook\.test/ });
    await expect(delivery.getByText("Delivered")).toBeVisible();
    await expect(delivery.getByText("HTTP 200")).toBeVisible();
    // Shown once: a reloaded page holds neither the secret nor the URL's path.
    await page.reload();
    await expect(delivery.getByText("Delivered")).toBeVisible();
    const html = await page.content();
    expect(html).not.toContain(secret);
    expect(html).not.toContain("e2e-token-path");
    await expectAccessible(page, "notifications, one target");
    await screenshot(page, "notifications");

    page.once("dialog", (dialog) => void dialog.accept());
    await row.getByRole("button", { name: "Delete" }).click();
    await expect(page.getByText("No webhook targets yet. Add one below.")).toBeVisible();
  } finally {
    await receiver.close();
  }
});

test("the notifications page is for admins only", async ({ operator: page }) => {
  await expect(page.getByRole("link", { name: "Notifications" })).toHaveCount(0);
  await page.goto("/admin/notifications");
  await expect(page).toHaveURL(/\/forbidden/);
  await expect(page.getByRole("heading", { name: "Notifications" })).toHaveCount(0);
});
