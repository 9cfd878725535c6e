import { SUBSCRIBABLE_EVENT_TYPES, type SubscribableEventType } from "./events";
import type { TargetFormat } from "./bodies";

/**
 * What the page and the audit log may hold about targets and deliveries:
 * built from database rows by these mappers, with no field that could carry
 * the signing secret or a URL's token. Pure.
 */
export interface WebhookTargetRecord {
  id: string;
  name: string;
  /** `displayUrl(url)`: origin and first path segment only. */
  url: string;
  format: TargetFormat;
  events: SubscribableEventType[];
  enabled: boolean;
  secretHint: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface DeliveryRecord {
  id: string;
  targetId: string;
  targetName: string;
  event: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  /** When the next attempt is due (pending only). */
  nextAttemptAt: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
}

interface TargetRow {
  id: string;
  name: string;
  displayUrl: string;
  format: string;
  events: string;
  enabled: boolean;
  secretHint: string;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const SUBSCRIBABLE: ReadonlySet<string> = new Set(SUBSCRIBABLE_EVENT_TYPES);

function parseEvents(text: string): SubscribableEventType[] {
  try {
    const value: unknown = JSON.parse(text);
    // An event type this version does not know (saved by a newer replica) is left out rather than misread.
    return Array.isArray(value) ? value.filter((item): item is SubscribableEventType => typeof item === "string" && SUBSCRIBABLE.has(item)) : [];
  } catch {
    return [];
  }
}

export function targetRecord(row: TargetRow): WebhookTargetRecord {
  return {
    id: row.id,
    name: row.name,
    url: row.displayUrl,
    format: row.format === "slack" ? "slack" : "json",
    events: parseEvents(row.events),
    enabled: row.enabled,
    secretHint: row.secretHint,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export const DELIVERY_STATUSES = ["pending", "delivered", "failed", "giving_up"] as const;
/** pending: will be tried (again); delivered: a 2xx; failed: an answer retrying cannot change; giving_up: every attempt failed. */
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

interface DeliveryRow {
  id: string;
  targetId: string;
  event: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
  lastAttemptAt: Date | null;
  deliveredAt: Date | null;
  target: { name: string };
}

const STATUSES: ReadonlySet<string> = new Set(DELIVERY_STATUSES);

export function deliveryRecord(row: DeliveryRow): DeliveryRecord {
  const status = (STATUSES.has(row.status) ? row.status : "failed") as DeliveryStatus;
  return {
    id: row.id,
    targetId: row.targetId,
    targetName: row.target.name,
    event: row.event,
    status,
    attempts: row.attempts,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    nextAttemptAt: status === "pending" && row.nextAttemptAt ? row.nextAttemptAt.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
    lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
  };
}
