import "server-only";
import type { DatabaseConnection } from "@/lib/db/client";
import type { JobQueue } from "@/lib/jobs/port";
import { env } from "@/lib/env";
import { logger } from "@/lib/log";
import type { NotificationEvent } from "@/lib/notifications/events";
import { createNotifications, type Notifications } from "@/lib/notifications/service";
import type { CredentialCipher } from "@/lib/sealing/credential-cipher";
import type { RegistryVerification } from "@/lib/registry-check/port";
import type { VerificationState } from "@/lib/api/verification";

/** The webhook sender over the process's database and job queue, configured from the environment. */
export async function notificationsFromEnv(database: () => Promise<DatabaseConnection>, jobs: () => Promise<JobQueue>, cipher: CredentialCipher): Promise<Notifications> {
  const settings = env();
  return createNotifications((await database()).prisma, {
    cipher,
    allowedHosts: settings.PULLKEEPER_WEBHOOK_ALLOWED_HOSTS,
    timeoutMs: settings.PULLKEEPER_WEBHOOK_TIMEOUT_MS,
    publicUrl: settings.PULLKEEPER_PUBLIC_URL ?? null,
    queue: await jobs(),
    onError: (error) => logger.error({ err: error instanceof Error ? error.message : String(error) }, "pending webhook deliveries could not be queued; the next catch-up tries again"),
  });
}

/**
 * `notify` as the root exposes it: never throws (a failed notification must not
 * fail the run or check that caused it), logs the event type and the reason.
 */
export function safeNotify(notifications: () => Promise<Notifications>): (event: NotificationEvent) => Promise<void> {
  return async (event) => {
    try {
      await (await notifications()).notify(event);
    } catch (error) {
      logger.error({ event: event.type, err: error instanceof Error ? error.message : String(error) }, "notification could not be queued");
    }
  };
}

/**
 * A registry check that newly found a credential rejected (the previous result this
 * process knows was not `rejected`), as an event: a sweep re-checking the same
 * rejected credential does not notify again.
 */
export function rejectedCredentialEvent(verification: RegistryVerification, previous: VerificationState): NotificationEvent | null {
  if (verification.result !== "rejected" || previous.status === "rejected") return null;
  return {
    type: "registry.credential_rejected",
    occurredAt: verification.checkedAt,
    data: { registry: verification.domain, username: verification.username, fingerprint: verification.fingerprint, detail: verification.detail, checkedAt: verification.checkedAt },
  };
}
