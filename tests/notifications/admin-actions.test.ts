/**
 * The notifications page's server actions as an admin calls them: every change
 * is audited without the signing secret or the URL's token, a URL the outbound
 * policy refuses is refused when saved, and "send test" reaches a local
 * receiver signed with the secret shown once. The Next request scope is stood
 * in for as in tests/auth/entrypoints.test.ts (which also proves that the
 * actions refuse anonymous callers and roles without settings.manage).
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const request = vi.hoisted(() => {
  const dir = `/tmp/pullkeeper-notifications-${process.pid}-${Date.now()}`;
  process.env.DATABASE_URL = `file:${dir}/pullkeeper.db`;
  process.env.AUTH_SECRET = "notifications-test-secret-0123456789abcdef";
  process.env.PULLKEEPER_PUBLIC_URL = "http://pullkeeper.test";
  process.env.PULLKEEPER_WEBHOOK_ALLOWED_HOSTS = "127.0.0.1";
  process.env.PULLKEEPER_WEBHOOK_TIMEOUT_MS = "2000";
  process.env.LOG_LEVEL = "silent";
  return { dir, headers: new Headers(), cookies: new Map<string, string>() };
});

vi.mock("next/headers", async () => (await import("../support/next-request")).nextHeaders(request));

vi.mock("next/cache", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/cache")>()), revalidatePath: () => undefined }));

import { createWebhookTargetAction } from "@/lib/actions/notifications/create-webhook-target";
import { deleteWebhookTargetAction } from "@/lib/actions/notifications/delete-webhook-target";
import { rotateWebhookSecretAction } from "@/lib/actions/notifications/rotate-webhook-secret";
import { sendTestWebhookAction } from "@/lib/actions/notifications/send-test-webhook";
import { setWebhookTargetEnabledAction } from "@/lib/actions/notifications/set-webhook-target-enabled";
import { updateWebhookTargetAction } from "@/lib/actions/notifications/update-webhook-target";
import { auditStore } from "@/lib/audit";
import { PATH_HEADER } from "@/lib/auth/paths";
import { authService } from "@/lib/auth/service";
import { database } from "@/lib/db";
import { notifications } from "@/lib/notifications";
import { serverRoot } from "@/lib/server/root";
import { verifySignature } from "@/lib/notifications/signature";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver";

const ADMIN = "notify-admin@example.com";
const TOKEN_PATH = "/services/T000/B000/XOXB0123456789abcdefghij";
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  const { users, auth } = await authService();
  await users.createLocalUser({ email: ADMIN, name: "Admin", role: "admin", clusters: null, password: "notifications test passphrase" });
  const { headers } = await auth.api.signInEmail({ body: { email: ADMIN, password: "notifications test passphrase" }, returnHeaders: true });
  request.headers = new Headers({ cookie: headers.getSetCookie().map((line) => line.split(";")[0]).join("; "), [PATH_HEADER]: "/admin/notifications", "x-pullkeeper-client-address": "198.51.100.9" });
});

afterAll(async () => {
  (await notifications()).stop();
  await (await serverRoot().jobs()).stop(1_000);
  await receiver.close();
  await (await database()).close();
  fs.rmSync(request.dir, { recursive: true, force: true });
});

async function auditText(): Promise<string> {
  const store = await auditStore();
  const { items } = await store.listOperations({ actor: ADMIN, kind: "notifications_changed" }, { limit: 50 });
  return JSON.stringify(await Promise.all(items.map((item) => store.getOperation(item.id))));
}

describe("webhook targets managed by an admin", () => {
  it("creates, tests, edits, rotates and deletes a target, auditing each change without a secret", async () => {
    const created = await createWebhookTargetAction({ name: "platform-alerts", url: `${receiver.url}${TOKEN_PATH}`, format: "json", events: ["run.failed"], enabled: "on" });
    expect(created).toMatchObject({ ok: true, data: { name: "platform-alerts", secret: expect.stringMatching(/^whsec_/) } });
    const { id, secret } = (created as { data: { id: string; secret: string } }).data;
    const [listed] = await (await notifications()).store.listTargets();
    expect(listed).toMatchObject({ id, url: `${receiver.url}/services/…`, events: ["run.failed"], enabled: true, secretHint: `${secret.slice(0, 10)}…` });

    expect(await sendTestWebhookAction({ targetId: id })).toMatchObject({ ok: true });
    await receiver.waitFor(1);
    const [test] = receiver.requests;
    expect(test!.path).toBe(TOKEN_PATH);
    expect(JSON.parse(test!.body)).toMatchObject({ version: 1, event: "webhook.test", data: { requestedBy: ADMIN, target: "platform-alerts" } });
    expect(verifySignature(String(test!.headers["x-pullkeeper-signature"]), test!.body, secret, Date.now() / 1000)).toEqual({ ok: true });

    expect(await updateWebhookTargetAction({ targetId: id, name: "platform", events: ["run.failed", "pod.pull_failing"] })).toMatchObject({ ok: true });
    expect(await setWebhookTargetEnabledAction({ targetId: id, enabled: "false" })).toMatchObject({ ok: true, data: { enabled: false } });
    const rotated = await rotateWebhookSecretAction({ targetId: id });
    const newSecret = (rotated as { data: { secret: string } }).data.secret;
    expect(newSecret).not.toBe(secret);

    // A disabled target still gets a test, signed with the new secret.
    await sendTestWebhookAction({ targetId: id });
    await receiver.waitFor(2);
    const second = receiver.requests[1]!;
    expect(verifySignature(String(second.headers["x-pullkeeper-signature"]), second.body, newSecret, Date.now() / 1000)).toEqual({ ok: true });
    expect(await deleteWebhookTargetAction({ targetId: id })).toMatchObject({ ok: true });
    expect(await (await notifications()).store.listTargets()).toEqual([]);
    expect(await sendTestWebhookAction({ targetId: id })).toEqual({ ok: false, error: "That webhook target no longer exists; reload the page." });

    const audited = await auditText();
    for (const action of ["created", "test_sent", "updated", "disabled", "secret_rotated", "deleted"]) expect(audited).toContain(`webhook_target.${action}`);
    for (const text of [secret, newSecret, secret.slice(10), newSecret.slice(10), "XOXB0123456789"]) expect(audited).not.toContain(text);
  });

  it("refuses, when saved, a URL the outbound policy refuses, and a URL with a password", async () => {
    const metadata = await createWebhookTargetAction({ name: "meta", url: "http://169.254.169.254/latest", format: "json", events: ["run.failed"] });
    expect(metadata).toMatchObject({ ok: false, fieldErrors: { url: [expect.stringMatching(/does not connect to 169\.254\.169\.254:80.*PULLKEEPER_WEBHOOK_ALLOWED_HOSTS/)] } });
    const withPassword = await createWebhookTargetAction({ name: "basic", url: "https://user:pw@alerts.example.com/", format: "slack", events: ["run.failed"] });
    expect(withPassword).toMatchObject({ ok: false, fieldErrors: { url: [expect.stringMatching(/user name and password/)] } });
    const noEvents = await createWebhookTargetAction({ name: "none", url: `${receiver.url}/x`, format: "json", events: [] });
    expect(noEvents).toMatchObject({ ok: false, fieldErrors: { events: expect.any(Array) } });
    expect(await (await notifications()).store.listTargets()).toEqual([]);
  });
});
