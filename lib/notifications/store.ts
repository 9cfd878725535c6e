import "server-only";
import { randomUUID } from "node:crypto";
import type { PrismaDatabase } from "@/lib/db/client";
import { credentialFreeEvent, type TargetFormat } from "./bodies";
import { isEventType, type NotificationEvent } from "./events";
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
}

export function createWebhookStore(prisma: PrismaDatabase): WebhookStore {
  const targets = prisma.webhookTarget;
  const deliveries = prisma.webhookDelivery;
  return {
    async createTarget(input) {
      const now = new Date();
      const row = await targets.create({
        data: { id: randomUUID(), name: input.name, url: input.url, format: input.format, events: JSON.stringify(input.events), enabled: input.enabled, secret: input.secret, createdBy: input.createdBy, createdAt: now, updatedAt: now },
      });
      return targetRecord(row);
    },
    async updateTarget(id, changes) {
      const data = {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.events !== undefined ? { events: JSON.stringify(changes.events) } : {}),
        ...(changes.enabled !== undefined ? { enabled: changes.enabled } : {}),
        ...(changes.secret !== undefined ? { secret: changes.secret } : {}),
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
      return { id: row.id, attempts: row.attempts, event, target: { id: row.target.id, url: row.target.url, format, secret: row.target.secret, enabled: row.target.enabled } };
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
