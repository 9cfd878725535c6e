/**
 * Webhook deliveries end to end, on SQLite and PostgreSQL: events from the
 * audit store and the registry checks become deliveries, which a local
 * receiver (127.0.0.1, allowed by the test's allow-list as an administrator
 * would allow it) gets signed, retried after 500s and after a hang, and
 * without any credential.
 */
import fs from "node:fs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createPrismaAuditStore } from "@/lib/audit/prisma-audit-store";
import { connectDatabase, type DatabaseConnection } from "@/lib/db/client";
import { createOutboundPolicy, parseAllowList } from "@/lib/net/outbound";
import { notifyingAuditStore } from "@/lib/notifications/audit-events";
import type { EventOf, SubscribableEventType } from "@/lib/notifications/events";
import { deliverWebhook } from "@/lib/notifications/deliver";
import { createNotifications, WEBHOOK_ALLOWED_HOSTS_SETTING, type Notifications } from "@/lib/notifications/service";
import { createWebhookStore } from "@/lib/notifications/store";
import { createGuardedFetch } from "@/lib/net/guarded-fetch";
import { createLocalJobQueue } from "@/lib/jobs/local-queue";
import { createPgBossQueue } from "@/lib/jobs/pg-boss-queue";
import type { JobQueue } from "@/lib/jobs/port";
import { generateSigningSecret, verifySignature } from "@/lib/notifications/signature";
import { PullkeeperError } from "@/lib/errors";
import { createCredentialCipher, deferredCredentialCipher, type CredentialCipher } from "@/lib/sealing/credential-cipher";
import { createPorts } from "@/lib/server/ports";
import { rejectedCredentialEvent } from "@/lib/server/notifications";
import { NEVER_VERIFIED } from "@/lib/queries/verification-state";
import type { RegistryVerification } from "@/lib/registry-check/port";
import { CREDENTIAL_CANARY, DEMO_CLUSTER_SERVICE_IDS } from "@/sim/demo-credentials";
import { startIbmCloudSim, type IbmCloudSim } from "@/sim/ibm-cloud";
import { PROVIDERS, createMigratedDatabase, type ScratchDatabase } from "../support/databases";
import { LOOPBACK_REGISTRY_HOSTS } from "../support/outbound";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver";

const LOOPBACK = parseAllowList("127.0.0.1");
const RETRY = { maxAttempts: 4, baseDelayMs: 50, jitter: 0 };
const CIPHER = createCredentialCipher(Buffer.alloc(32, 7));

let ibm: IbmCloudSim;
beforeAll(async () => {
  ibm = await startIbmCloudSim();
});
afterAll(async () => ibm?.close());

describe.each(PROVIDERS)("webhooks on %s", (provider) => {
  let scratch: ScratchDatabase;
  let connection: DatabaseConnection;
  let receiver: WebhookReceiver;
  const started: Notifications[] = [];
  const queues: JobQueue[] = [];
  const extraConnections: DatabaseConnection[] = [];

  /** A server process's sender: its own job queue (pg-boss on PostgreSQL, the embedded queue on SQLite) working `webhook-delivery`. */
  async function start(options: { allowedHosts?: typeof LOOPBACK; on?: DatabaseConnection; cipher?: CredentialCipher; onError?: (error: unknown) => void } = {}): Promise<Notifications> {
    const on = options.on ?? connection;
    const queue: JobQueue =
      provider === "postgresql"
        ? await createPgBossQueue({ connectionString: scratch.target.url, expireInSeconds: 5, maintenanceIntervalSeconds: 1, pollingIntervalSeconds: 0.5 })
        : createLocalJobQueue(on.prisma, { pollMs: 20 });
    queues.push(queue);
    const notifications = await createNotifications(on.prisma, {
      cipher: options.cipher ?? CIPHER,
      allowedHosts: options.allowedHosts ?? LOOPBACK,
      timeoutMs: 1_000,
      publicUrl: "https://pullkeeper.example.com",
      queue,
      retry: RETRY,
      onError:
        options.onError ??
        ((error) => {
          throw error;
        }),
    });
    started.push(notifications);
    return notifications;
  }

  /** `deliverWebhook` alone, as a job on another replica would call it. */
  function bareSender(on: DatabaseConnection) {
    const deps = { store: createWebhookStore(on.prisma, CIPHER), fetch: createGuardedFetch(createOutboundPolicy(LOOPBACK, WEBHOOK_ALLOWED_HOSTS_SETTING)), publicUrl: null, timeoutMs: 1_000, retry: RETRY };
    return (deliveryId: string) => deliverWebhook(deps, deliveryId);
  }

  async function addTarget(notifications: Notifications, events: SubscribableEventType[], format: "json" | "slack" = "json", path = "/hook") {
    const secret = generateSigningSecret();
    const target = await notifications.store.createTarget({ name: `${format}-${path}`, url: `${receiver.url}${path}`, format, events, enabled: true, createdBy: "admin@example.com", secret });
    return { target, secret };
  }

  async function settled(deliveryId: string, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const row = await connection.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
      if (row.status !== "pending") return row;
      if (Date.now() > deadline) throw new Error(`delivery still pending after ${row.attempts} attempts: ${row.lastError}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  beforeAll(async () => {
    ({ scratch, connection } = await createMigratedDatabase(provider));
  });
  beforeEach(async () => {
    receiver = await startWebhookReceiver();
  });
  afterEach(async () => {
    for (const notifications of started.splice(0)) notifications.stop();
    await Promise.all(queues.splice(0).map((queue) => queue.stop(1_000)));
    await receiver.close();
    await connection.prisma.webhookDelivery.deleteMany();
    await connection.prisma.webhookTarget.deleteMany();
  });
  afterAll(async () => {
    for (const extra of extraConnections) await extra.close();
    await connection?.close();
    await scratch?.drop();
  });

  it("sends a failed run, signed, and retries it after 500s and a hang until it is delivered", async () => {
    const notifications = await start();
    const { target, secret } = await addTarget(notifications, ["run.failed"]);
    receiver.script([500, "hang", 503]);
    const audit = notifyingAuditStore(createPrismaAuditStore(connection.prisma, provider), (event) => notifications.notify(event));
    const run = await audit.startOperation({ kind: "copy_pull_secrets", actor: "ops@example.com", cluster: "prod-eu", status: "running" });
    await audit.finishOperation(run.id, { status: "failed", summary: "The target namespace is gone." });

    const [delivery] = await connection.prisma.webhookDelivery.findMany({ where: { targetId: target.id } });
    const row = await settled(delivery!.id);
    expect(row).toMatchObject({ status: "delivered", attempts: 4, lastStatusCode: 200, lastError: null, event: "run.failed" });
    expect(receiver.requests.map((request) => request.answer)).toEqual([500, "hang", 503, 200]);
    for (const request of receiver.requests) {
      expect(request.headers["x-pullkeeper-delivery"]).toBe(delivery!.id);
      expect(verifySignature(String(request.headers["x-pullkeeper-signature"]), request.body, secret, Date.now() / 1000)).toEqual({ ok: true });
    }
    expect(JSON.parse(receiver.requests[3]!.body)).toMatchObject({
      version: 1,
      event: "run.failed",
      links: { pullkeeperUrl: `https://pullkeeper.example.com/audit/${run.id}` },
      data: { operationId: run.id, kind: "copy_pull_secrets", status: "failed", summary: "The target namespace is gone." },
    });
  });

  it("gives up after the last attempt and shows why", async () => {
    const notifications = await start();
    await addTarget(notifications, ["pod.pull_failing"]);
    receiver.script([500, 500, 500, 500, 500]);
    const [id] = await notifications.notify({ type: "pod.pull_failing", occurredAt: new Date().toISOString(), data: { cluster: "c", namespace: "n", cause: "ImagePullBackOff", pods: [] } });
    expect(await settled(id!)).toMatchObject({ status: "giving_up", attempts: 4, lastStatusCode: 500, lastError: "HTTP 500 Internal Server Error from the target. Gave up after 4 attempts.", nextAttemptAt: null });
    expect(receiver.requests).toHaveLength(4);
  });

  it("tells JSON and Slack targets of a credential a registry rejected, without the credential", async () => {
    const notifications = await start();
    const json = await addTarget(notifications, ["registry.credential_rejected"], "json", "/json");
    await addTarget(notifications, ["registry.credential_rejected"], "slack", "/slack");
    await addTarget(notifications, ["run.failed"], "json", "/not-subscribed");
    const password = DEMO_CLUSTER_SERVICE_IDS.regional.revokedApiKey!;
    expect(password).toContain(CREDENTIAL_CANARY);
    const ports = createPorts({ kubeconfigPaths: [], iam: null, registryEndpointTemplate: ibm.registryUrlTemplate, registryAllowedHosts: LOOPBACK_REGISTRY_HOSTS, verifyTimeoutMs: 5_000 });
    const verification = (await ports.verifyRegistry({ domain: "us.icr.io", username: "iamapikey", password })) as RegistryVerification;
    ports.close();
    const event = rejectedCredentialEvent(verification, NEVER_VERIFIED);
    expect(event).not.toBeNull();
    expect(rejectedCredentialEvent(verification, { ...NEVER_VERIFIED, status: "rejected" })).toBeNull();
    const ids = await notifications.notify(event!);
    expect(ids).toHaveLength(2);
    for (const id of ids) expect((await settled(id)).status).toBe("delivered");

    expect(receiver.requests.map((request) => request.path).sort()).toEqual(["/json", "/slack"]);
    const slack = JSON.parse(receiver.requests.find((request) => request.path === "/slack")!.body) as { text: string; blocks: unknown[] };
    expect(slack.text).toContain("us.icr.io rejected the credential of iamapikey");
    const body = JSON.parse(receiver.requests.find((request) => request.path === "/json")!.body) as { data: { fingerprint: string } };
    expect(body.data.fingerprint).toBe(verification.fingerprint);
    const stored = JSON.stringify(await connection.prisma.webhookDelivery.findMany());
    for (const text of [...receiver.requests.map((request) => request.body + JSON.stringify(request.headers)), stored]) {
      expect(text).not.toContain(CREDENTIAL_CANARY);
      expect(text).not.toContain(json.secret);
    }
    if (scratch.file) expect(fs.readFileSync(scratch.file).includes(CREDENTIAL_CANARY)).toBe(false);
  });

  it("refuses a loopback target without an allow-list entry, when it is saved and when it is sent", async () => {
    expect(await (await start()).urlRefusal(`${receiver.url}/hook`)).toBeUndefined();
    const strict = await start({ allowedHosts: [] });
    expect(await strict.urlRefusal(`${receiver.url}/hook`)).toMatch(/does not connect to 127\.0\.0\.1:\d+.*PULLKEEPER_WEBHOOK_ALLOWED_HOSTS/);
    expect(await strict.urlRefusal("http://169.254.169.254/latest/meta-data")).toMatch(/does not connect to 169\.254\.169\.254:80/);
    // Saved while allowed (or resolving elsewhere); the allow-list no longer names it when it is sent.
    await addTarget(strict, ["drift.unfixed"]);
    const [id] = await strict.notify({ type: "drift.unfixed", occurredAt: new Date().toISOString(), data: { rule: "r", cluster: "c", namespace: "n", drift: "d", reason: "x" } });
    expect(await settled(id!)).toMatchObject({ status: "failed", attempts: 1, lastStatusCode: null, lastError: expect.stringMatching(/PULLKEEPER_WEBHOOK_ALLOWED_HOSTS/) });
    expect(receiver.requests).toHaveLength(0);
  });

  it("sends what a stopped process left pending when the next one starts, and one delivery once across replicas", async () => {
    const store = createWebhookStore(connection.prisma, CIPHER);
    const secret = generateSigningSecret();
    await store.createTarget({ name: "conflicts", url: `${receiver.url}/hook`, format: "json", events: ["rule.conflict"], enabled: true, createdBy: "admin@example.com", secret });
    const event: EventOf<"rule.conflict"> = { type: "rule.conflict", occurredAt: new Date().toISOString(), data: { rules: ["a", "b"], cluster: "c", namespace: "n", object: "ServiceAccount default", reason: "x" } };
    // Two replicas, each on its own connection, both asked to send the same delivery at once.
    const [id] = await store.enqueue(event);
    const other = await connectDatabase(scratch.target);
    extraConnections.push(other);
    const [first, second] = await Promise.all([bareSender(connection)(id!), bareSender(other)(id!)]);
    expect([first.attempted, second.attempted].sort()).toEqual([false, true]);
    expect(await settled(id!)).toMatchObject({ status: "delivered", attempts: 1 });
    expect(receiver.requests).toHaveLength(1);

    // Written by a process that stopped before it queued a job: the next process's start sends it.
    const [later] = await store.enqueue({ ...event, data: { ...event.data, reason: "y" } });
    await start();
    expect(await settled(later!)).toMatchObject({ status: "delivered" });
    expect(receiver.requests).toHaveLength(2);
  });

  it("keeps each target's URL and signing key sealed at rest, seals targets an earlier version saved in clear, and still delivers", async () => {
    const notifications = await start();
    const { target, secret } = await addTarget(notifications, ["rule.conflict"], "json", "/hooks/sealed-path-token");
    const stored = await connection.prisma.webhookTarget.findUniqueOrThrow({ where: { id: target.id } });
    expect(stored.url).toMatch(/^pk1\./);
    expect(stored.secret).toMatch(/^pk1\./);
    // (The test names the target after its path; a person's name for it is not a credential.)
    const rowText = JSON.stringify({ ...stored, name: undefined });
    expect(rowText).not.toContain("sealed-path-token");
    expect(rowText).not.toContain(secret.slice(10));
    expect(target.url).not.toContain("sealed-path-token");
    expect(target.secretHint).toBe(`${secret.slice(0, target.secretHint.length - 1)}…`);

    // A row as the version before sealing wrote it: URL and key in clear, no display columns.
    const legacySecret = generateSigningSecret();
    await connection.prisma.webhookTarget.create({
      data: { id: "legacy-target", name: "legacy", url: `${receiver.url}/hooks/legacy-token-path`, displayUrl: "", format: "json", events: JSON.stringify(["rule.conflict"]), enabled: true, secret: legacySecret, secretHint: "", createdBy: "admin@example.com", createdAt: new Date(), updatedAt: new Date() },
    });
    // The next process's start seals it; the page then shows its hints.
    const next = await start();
    const sealed = await connection.prisma.webhookTarget.findUniqueOrThrow({ where: { id: "legacy-target" } });
    expect(sealed.url).toMatch(/^pk1\./);
    expect(sealed.secret).toMatch(/^pk1\./);
    expect(JSON.stringify(sealed)).not.toContain(legacySecret.slice(10));
    expect((await next.store.getTarget("legacy-target"))?.secretHint).toBe(`${legacySecret.slice(0, 10)}…`);

    // Both targets still get the event, signed with the key they were given.
    const event: EventOf<"rule.conflict"> = { type: "rule.conflict", occurredAt: new Date().toISOString(), data: { rules: ["a"], cluster: "c", namespace: "n", object: "Secret x", reason: "sealed" } };
    for (const id of await next.notify(event)) await settled(id);
    const byPath = new Map(receiver.requests.map((request) => [request.path, request]));
    for (const [path, key] of [["/hooks/sealed-path-token", secret], ["/hooks/legacy-token-path", legacySecret]] as const) {
      const request = byPath.get(path);
      expect(request, path).toBeDefined();
      expect(verifySignature(String(request!.headers["x-pullkeeper-signature"]), request!.body, key, Date.now() / 1000), path).toEqual({ ok: true });
    }
    // Sealed under another key, nothing opens.
    expect(() => createCredentialCipher(Buffer.alloc(32, 9)).open(sealed.secret, "webhook-target:legacy-target:secret")).toThrow();
  });

  it("without an encryption key, a target saved in clear still delivers and storing a new one says the key is needed", async () => {
    // Production without PULLKEEPER_ENCRYPTION_KEY: the cipher cannot be built.
    const noKey = deferredCredentialCipher(() => {
      throw new PullkeeperError("config", "not_configured", "PULLKEEPER_ENCRYPTION_KEY: required to store credentials in production");
    });
    const legacySecret = generateSigningSecret();
    await connection.prisma.webhookTarget.create({
      data: { id: "unsealed-target", name: "unsealed", url: `${receiver.url}/hooks/unsealed`, displayUrl: "", format: "json", events: JSON.stringify(["rule.conflict"]), enabled: true, secret: legacySecret, secretHint: "", createdBy: "admin@example.com", createdAt: new Date(), updatedAt: new Date() },
    });
    const errors: unknown[] = [];
    const notifications = await start({ cipher: noKey, onError: (error) => errors.push(error) });
    expect(String(errors[0])).toMatch(/PULLKEEPER_ENCRYPTION_KEY/);

    const event: EventOf<"rule.conflict"> = { type: "rule.conflict", occurredAt: new Date().toISOString(), data: { rules: ["a"], cluster: "c", namespace: "n", object: "Secret x", reason: "no key" } };
    const ids = await notifications.notify(event);
    expect(ids).toHaveLength(1);
    expect(await settled(ids[0]!)).toMatchObject({ status: "delivered" });
    expect(verifySignature(String(receiver.requests[0]!.headers["x-pullkeeper-signature"]), receiver.requests[0]!.body, legacySecret, Date.now() / 1000)).toEqual({ ok: true });

    await expect(notifications.store.createTarget({ name: "new", url: `${receiver.url}/hooks/new`, format: "json", events: ["rule.conflict"], enabled: true, createdBy: "admin@example.com", secret: generateSigningSecret() })).rejects.toThrow(/PULLKEEPER_ENCRYPTION_KEY/);
    expect(await connection.prisma.webhookTarget.count({ where: { name: "new" } })).toBe(0);
    await connection.prisma.webhookTarget.delete({ where: { id: "unsealed-target" } });
  });
});
