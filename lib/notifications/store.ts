import "server-only";
import { randomUUID } from "node:crypto";
import type { PrismaDatabase } from "@/lib/db/client";
import type { CredentialCipher } from "@/lib/sealing/credential-cipher";
import { credentialFreeEvent, type TargetFormat } from "./bodies";
import { isEventType, type NotificationEvent } from "./events";
import { secretHint } from "./signature";
import { displayUrl } from "./target-url";
import { deliveryRecord, targetRecord, type DeliveryRecord, type DeliveryStatus, type WebhookTargetRecord } from "./records";
import type { TargetChanges, TargetInput } from "./targets";

/** A delivery a sender holds: its event, and what it needs of the target (the secret included). Never leaves lib/notifications. */
export interface ClaimedDelivery {
  id: string;
  attempts: number;
  event: NotificationEvent;
  target: { id: string; url: string; format: TargetFormat; secret: string; enabled: boolean };
}

export interface AttemptRecord {
  status: DeliveryStatus;
  attempts: number;
  statusCode: number | null;
  error: string | null;
  nextAttemptAt: Date | null;
  at: Date;
}

/**
 * Webhook targets and deliveries in the database, shared by every replica.
 * Records returned here never hold a target's secret; only `claim` reads it.
 */
export interface WebhookStore {
  createTarget(input: TargetInput & { createdBy: string; secret: string }): Promise<WebhookTargetRecord>;
  /** Throws when the target does not exist (the page shows a stale row). */
  updateTarget(id: string, changes: TargetChanges & { secret?: string }): Promise<WebhookTargetRecord>;
  deleteTarget(id: string): Promise<WebhookTargetRecord>;
  getTarget(id: string): Promise<WebhookTargetRecord | null>;
  listTargets(): Promise<WebhookTargetRecord[]>;
  /** One pending delivery per enabled target subscribed to the event (or only `targetId`, for a test); their ids. */
  enqueue(event: NotificationEvent, options?: { targetId?: string; now?: Date }): Promise<string[]>;
  /**
   * Takes a pending delivery that is due, for `leaseMs`: no other sender (here or on another replica)
   * claims it until the lease lapses. Null when it is not pending, not due, or held by another sender.
   */
  claim(id: string, now: Date, leaseMs: number): Promise<ClaimedDelivery | null>;
  recordAttempt(id: string, attempt: AttemptRecord): Promise<void>;
  /** Pending deliveries due at `now`, oldest first. */
  due(now: Date, limit: number): Promise<string[]>;
  /** When a delivery is next due (or its sender's lease lapses) while it is pending; null once it is settled or gone. */
  pendingUntil(id: string): Promise<Date | null>;
  listDeliveries(options: { limit: number; targetId?: string }): Promise<DeliveryRecord[]>;
  /**
   * Seals every target's URL and signing key under the cipher's current key: values written in clear by an
   * earlier version, or sealed under a previous key (`npm run credentials:reseal`). Counts only.
   */
  resealAll(): Promise<{ resealed: number; alreadyCurrent: number }>;
}

const SEALED_PREFIX = "pk1.";
const urlContext = (targetId: string) => `webhook-target:${targetId}:url`;
const secretContext = (targetId: string) => `webhook-target:${targetId}:secret`;

/**
 * A target's URL and signing key are sealed with the credential cipher (lib/sealing): a Slack-style URL is
 * itself a credential. The page reads `displayUrl` and `secretHint`, written beside them, and never opens them.
 */
function targetSealing(cipher: CredentialCipher) {
  // Rows written before sealing hold the values in clear: still readable, sealed by resealAll or their next delivery.
  const open = (stored: string, context: string) => (stored.startsWith(SEALED_PREFIX) ? cipher.open(stored, context) : stored);
  const sealOrMove = (stored: string, context: string) => (stored.startsWith(SEALED_PREFIX) ? cipher.reseal(stored, context) : cipher.seal(stored, context));
  const isCurrent = (stored: string) => stored.startsWith(SEALED_PREFIX) && cipher.isCurrent(stored);
  return {
    sealUrl: (id: string, url: string) => ({ url: cipher.seal(url, urlContext(id)), displayUrl: displayUrl(url) }),
    sealSecret: (id: string, secret: string) => ({ secret: cipher.seal(secret, secretContext(id)), secretHint: secretHint(secret) }),
    open: (row: { id: string; url: string; secret: string }) => ({ url: open(row.url, urlContext(row.id)), secret: open(row.secret, secretContext(row.id)) }),
    isCurrent: (row: { url: string; secret: string }) => isCurrent(row.url) && isCurrent(row.secret),
    /** The row's values sealed under the current key, with what the page shows of them. */
    resealed(row: { id: string; url: string; secret: string }) {
      const plain = this.open(row);
      return {
        url: isCurrent(row.url) ? row.url : sealOrMove(row.url, urlContext(row.id)),
        secret: isCurrent(row.secret) ? row.secret : sealOrMove(row.secret, secretContext(row.id)),
        displayUrl: displayUrl(plain.url),
        secretHint: secretHint(plain.secret),
      };
    },
  };
}

export function createWebhookStore(prisma: PrismaDatabase, cipher: CredentialCipher): WebhookStore {
  const targets = prisma.webhookTarget;
  const deliveries = prisma.webhookDelivery;
  const sealing = targetSealing(cipher);
  return {
    async createTarget(input) {
      const now = new Date();
      const id = randomUUID();
      const row = await targets.create({
        data: { id, name: input.name, ...sealing.sealUrl(id, input.url), format: input.format, events: JSON.stringify(input.events), enabled: input.enabled, ...sealing.sealSecret(id, input.secret), createdBy: input.createdBy, createdAt: now, updatedAt: now },
      });
      return targetRecord(row);
    },
    async updateTarget(id, changes) {
      const data = {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.events !== undefined ? { events: JSON.stringify(changes.events) } : {}),
        ...(changes.enabled !== undefined ? { enabled: changes.enabled } : {}),
        ...(changes.secret !== undefined ? sealing.sealSecret(id, changes.secret) : {}),
        updatedAt: new Date(),
      };
      return targetRecord(await targets.update({ where: { id }, data }));
    },
    async deleteTarget(id) {
      return targetRecord(await targets.delete({ where: { id } }));
    },
    async getTarget(id) {
      const row = await targets.findUnique({ where: { id } });
      return row ? targetRecord(row) : null;
    },
    async listTargets() {
      return (await targets.findMany({ orderBy: { createdAt: "asc" } })).map(targetRecord);
    },
    async enqueue(event, options = {}) {
      const now = options.now ?? new Date();
      const candidates = options.targetId ? await targets.findMany({ where: { id: options.targetId } }) : await targets.findMany({ where: { enabled: true } });
      const matching = options.targetId ? candidates : candidates.filter((row) => targetRecord(row).events.some((type) => type === event.type));
      if (matching.length === 0) return [];
      const payload = JSON.stringify(credentialFreeEvent(event));
      const rows = matching.map((target) => ({ id: randomUUID(), targetId: target.id, event: event.type, payload, status: "pending", attempts: 0, nextAttemptAt: now, createdAt: now }));
      await deliveries.createMany({ data: rows });
      return rows.map((row) => row.id);
    },
    async claim(id, now, leaseMs) {
      const taken = await deliveries.updateMany({ where: { id, status: "pending", nextAttemptAt: { lte: now } }, data: { nextAttemptAt: new Date(now.getTime() + leaseMs) } });
      if (taken.count === 0) return null;
      const row = await deliveries.findUnique({ where: { id }, include: { target: true } });
      if (!row) return null;
      const event = JSON.parse(row.payload) as NotificationEvent;
      if (!isEventType(event.type)) return null;
      const format: TargetFormat = row.target.format === "slack" ? "slack" : "json";
      const opened = sealing.open(row.target);
      if (!sealing.isCurrent(row.target)) {
        // Written in clear by an earlier version (or under a previous key): sealed now, only if nobody changed it meanwhile.
        // Best effort: without the key the delivery still goes out, and the notifications' start logged why.
        await Promise.resolve()
          .then(() => targets.updateMany({ where: { id: row.target.id, url: row.target.url, secret: row.target.secret }, data: sealing.resealed(row.target) }))
          .catch(() => undefined);
      }
      return { id: row.id, attempts: row.attempts, event, target: { id: row.target.id, url: opened.url, format, secret: opened.secret, enabled: row.target.enabled } };
    },
    async recordAttempt(id, attempt) {
      await deliveries.updateMany({
        where: { id, status: "pending" },
        data: {
          status: attempt.status,
          attempts: attempt.attempts,
          lastStatusCode: attempt.statusCode,
          lastError: attempt.error,
          nextAttemptAt: attempt.nextAttemptAt,
          lastAttemptAt: attempt.at,
          ...(attempt.status === "delivered" ? { deliveredAt: attempt.at } : {}),
        },
      });
    },
    ...deliveryReads(prisma),
    ...targetResealing(prisma, sealing),
  };
}

function targetResealing(prisma: PrismaDatabase, sealing: ReturnType<typeof targetSealing>): Pick<WebhookStore, "resealAll"> {
  const targets = prisma.webhookTarget;
  return {
    async resealAll() {
      let resealed = 0;
      let alreadyCurrent = 0;
      for (const row of await targets.findMany({ select: { id: true, url: true, secret: true } })) {
        if (sealing.isCurrent(row)) {
          alreadyCurrent += 1;
          continue;
        }
        const moved = await targets.updateMany({ where: { id: row.id, url: row.url, secret: row.secret }, data: sealing.resealed(row) });
        resealed += moved.count;
      }
      return { resealed, alreadyCurrent };
    },
  };
}

function deliveryReads(prisma: PrismaDatabase): Pick<WebhookStore, "due" | "pendingUntil" | "listDeliveries"> {
  const deliveries = prisma.webhookDelivery;
  return {
    async due(now, limit) {
      const rows = await deliveries.findMany({ where: { status: "pending", nextAttemptAt: { lte: now } }, orderBy: { nextAttemptAt: "asc" }, take: limit, select: { id: true } });
      return rows.map((row) => row.id);
    },
    async pendingUntil(id) {
      const row = await deliveries.findUnique({ where: { id }, select: { status: true, nextAttemptAt: true } });
      return row?.status === "pending" ? (row.nextAttemptAt ?? new Date(0)) : null;
    },
    async listDeliveries({ limit, targetId }) {
      const rows = await deliveries.findMany({ where: targetId ? { targetId } : {}, orderBy: { createdAt: "desc" }, take: limit, include: { target: { select: { name: true } } } });
      return rows.map(deliveryRecord);
    },
  };
}
