import "server-only";
import type { GuardedFetch } from "@/lib/net/guarded-fetch";
import { outboundRefusal } from "@/lib/net/errors";
import { outcomeOfStatus, retryDelayMs, type AttemptOutcome, type RetryPolicy } from "./backoff";
import { renderBody } from "./bodies";
import type { DeliveryStatus } from "./records";
import { SIGNATURE_HEADER, signatureHeader } from "./signature";
import type { ClaimedDelivery, WebhookStore } from "./store";

export interface DeliveryDeps {
  store: WebhookStore;
  /** A fetch guarded by the webhook outbound policy (lib/net): refused addresses are never connected to. */
  fetch: GuardedFetch;
  /** PULLKEEPER_PUBLIC_URL, for links in the bodies. */
  publicUrl: string | null;
  timeoutMs: number;
  retry: RetryPolicy;
  now?: () => Date;
  random?: () => number;
}

/** What one call did: nothing (not due, or another sender holds it), or one attempt and the delivery's status after it. */
export type DeliveryResult = { attempted: false } | { attempted: true; status: DeliveryStatus; statusCode: number | null; error: string | null; retryAt: Date | null };

/**
 * Sends a delivery once and records the attempt: idempotent and safe to call
 * from any replica at any time (a job, a timer, a restart's catch-up). It
 * claims the row first, so one delivery is sent by one sender at a time; an
 * attempt that is not due, or is held by another sender, does nothing.
 * Returns when to try again (null when the delivery is settled).
 */
export async function deliverWebhook(deps: DeliveryDeps, deliveryId: string): Promise<DeliveryResult> {
  const now = deps.now ?? (() => new Date());
  // The lease outlives the request's timeout, so a slow target is not sent the same delivery twice.
  const claimed = await deps.store.claim(deliveryId, now(), deps.timeoutMs * 2 + 30_000);
  if (!claimed) return { attempted: false };
  // A test is sent to a disabled target too: an admin checks a target before turning it on.
  const outcome: AttemptOutcome = claimed.target.enabled || claimed.event.type === "webhook.test"
    ? await send(deps, claimed)
    : { kind: "failed", statusCode: null, error: "The target was disabled before this delivery was sent." };
  const attempts = claimed.attempts + 1;
  const at = now();
  const delay = outcome.kind === "retry" ? retryDelayMs(attempts, deps.retry, deps.random) : null;
  const status: DeliveryStatus = outcome.kind === "delivered" ? "delivered" : outcome.kind === "failed" ? "failed" : delay === null ? "giving_up" : "pending";
  const retryAt = delay === null ? null : new Date(at.getTime() + delay);
  const error = outcome.kind === "delivered" ? null : status === "giving_up" ? `${outcome.error} Gave up after ${attempts} attempts.` : outcome.error;
  await deps.store.recordAttempt(deliveryId, { status, attempts, statusCode: outcome.statusCode, error, nextAttemptAt: retryAt, at });
  return { attempted: true, status, statusCode: outcome.statusCode, error, retryAt };
}

async function send(deps: DeliveryDeps, delivery: ClaimedDelivery): Promise<AttemptOutcome> {
  const body = renderBody(delivery.target.format, delivery.event, { deliveryId: delivery.id, publicUrl: deps.publicUrl });
  const timestamp = Math.floor((deps.now ?? (() => new Date()))().getTime() / 1000);
  try {
    const response = await deps.fetch(delivery.target.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Pullkeeper-Webhook/1",
        "x-pullkeeper-event": delivery.event.type,
        "x-pullkeeper-delivery": delivery.id,
        [SIGNATURE_HEADER.toLowerCase()]: signatureHeader(delivery.target.secret, body, timestamp),
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(deps.timeoutMs),
    });
    // The answer's body is not needed; cancelling it frees the connection at once.
    await response.body?.cancel().catch(() => undefined);
    return outcomeOfStatus(response.status, response.statusText);
  } catch (error) {
    return outcomeOfError(error, deps.timeoutMs);
  }
}

/** A request that got no answer. The messages never quote the URL (it may hold a token). */
export function outcomeOfError(error: unknown, timeoutMs: number): AttemptOutcome {
  const refusal = outboundRefusal(error);
  if (refusal) return { kind: "failed", statusCode: null, error: refusal.message };
  const name = (error as { name?: unknown }).name;
  if (name === "TimeoutError" || name === "AbortError") return { kind: "retry", statusCode: null, error: `The target did not answer within ${Math.round(timeoutMs / 100) / 10} s.` };
  const code = causeCode(error);
  return { kind: "retry", statusCode: null, error: `The target could not be reached${code ? ` (${code})` : ""}.` };
}

function causeCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}
