import "server-only";
import type { PrismaDatabase } from "@/lib/db/client";
import { destinationRefusal } from "@/lib/net/destination";
import { createGuardedFetch } from "@/lib/net/guarded-fetch";
import { createOutboundPolicy, type AllowEntry } from "@/lib/net/outbound";
import type { CredentialCipher } from "@/lib/sealing/credential-cipher";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./backoff";
import { deliverWebhook, type DeliveryDeps, type DeliveryResult } from "./deliver";
import type { NotificationEvent } from "./events";
import { startJobDispatch, type DeliveryQueue } from "./job-dispatch";
import { createWebhookStore, type WebhookStore } from "./store";

/** The setting that lists webhook targets Pullkeeper may reach at non-public addresses. */
export const WEBHOOK_ALLOWED_HOSTS_SETTING = "PULLKEEPER_WEBHOOK_ALLOWED_HOSTS";

export interface NotificationsConfig {
  /** Seals each target's URL and signing key at rest (PULLKEEPER_ENCRYPTION_KEY). */
  cipher: CredentialCipher;
  /** PULLKEEPER_WEBHOOK_ALLOWED_HOSTS: non-public addresses targets may have (default none). */
  allowedHosts: readonly AllowEntry[];
  timeoutMs: number;
  publicUrl: string | null;
  /** The durable job queue (lib/jobs) that carries each attempt. */
  queue: DeliveryQueue;
  retry?: RetryPolicy;
  /** Deliveries sent at once by this process (default 4). */
  concurrency?: number;
  /** How often deliveries whose job was lost are looked for (default one minute). */
  catchUpMs?: number;
  onError: (error: unknown) => void;
}

export interface Notifications {
  store: WebhookStore;
  /** Creates one delivery per enabled target subscribed to the event and queues their jobs; their ids. */
  notify(event: NotificationEvent): Promise<string[]>;
  /** Queues a `webhook.test` event for one target, whatever it subscribes to, enabled or not; the delivery id. */
  sendTest(targetId: string, requestedBy: string): Promise<string | null>;
  /** Why a URL may not be used as a target (the outbound policy), checked on save; undefined when it may. */
  urlRefusal(url: string): Promise<string | undefined>;
  /** One idempotent attempt (see deliver.ts); the `webhook-delivery` jobs call it. */
  deliver(deliveryId: string): Promise<DeliveryResult>;
  /** Stops the catch-up (the queue itself is stopped with the other jobs). */
  stop(): void;
}

/** Builds the store and the sender, and starts working the `webhook-delivery` queue in this process. */
export async function createNotifications(prisma: PrismaDatabase, config: NotificationsConfig): Promise<Notifications> {
  const store = createWebhookStore(prisma, config.cipher);
  // Targets saved in clear by an earlier version are sealed before anything reads them (the page needs their hints).
  // Without the key (production without PULLKEEPER_ENCRYPTION_KEY) they stay as they are and still deliver; the reason is logged.
  await store.resealAll().catch(config.onError);
  const policy = createOutboundPolicy(config.allowedHosts, WEBHOOK_ALLOWED_HOSTS_SETTING);
  const deps: DeliveryDeps = { store, fetch: createGuardedFetch(policy), publicUrl: config.publicUrl, timeoutMs: config.timeoutMs, retry: config.retry ?? DEFAULT_RETRY_POLICY };
  const deliver = (deliveryId: string) => deliverWebhook(deps, deliveryId);
  const dispatch = await startJobDispatch({
    queue: config.queue,
    deliver,
    pendingUntil: store.pendingUntil,
    due: store.due,
    concurrency: config.concurrency ?? 4,
    catchUpMs: config.catchUpMs ?? 60_000,
    onError: config.onError,
  });
  return {
    store,
    async notify(event) {
      const ids = await store.enqueue(event);
      await dispatch.kick(ids);
      return ids;
    },
    async sendTest(targetId, requestedBy) {
      const target = await store.getTarget(targetId);
      if (!target) return null;
      const [id] = await store.enqueue({ type: "webhook.test", occurredAt: new Date().toISOString(), data: { requestedBy, target: target.name } }, { targetId });
      if (id) await dispatch.kick([id]);
      return id ?? null;
    },
    urlRefusal: (url) => destinationRefusal(url, policy),
    deliver,
    stop: () => dispatch.stop(),
  };
}
