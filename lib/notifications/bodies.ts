import { redactCredentials } from "@/lib/redaction/credential-fields";
import { describeEvent } from "./describe";
import type { NotificationEvent } from "./events";

/**
 * The request bodies a target receives. Pure. Both are rendered from the
 * stored event, whose data goes through the credential redaction once more, so
 * even a producer that put a credential-named field into an event cannot send it.
 */

export const BODY_VERSION = 1;
export const TARGET_FORMATS = ["json", "slack"] as const;
export type TargetFormat = (typeof TARGET_FORMATS)[number];

export interface BodyContext {
  /** The delivery's id: the same on every retry, so a receiver can drop duplicates. */
  deliveryId: string;
  /** PULLKEEPER_PUBLIC_URL, or null when unset (then no links are sent). */
  publicUrl: string | null;
}

function linkTo(publicUrl: string | null, path: string): string | null {
  // Relative to the public URL's path, so a Pullkeeper served under /pullkeeper links inside it.
  return publicUrl ? new URL(path.replace(/^\/+/, ""), publicUrl.endsWith("/") ? publicUrl : `${publicUrl}/`).toString() : null;
}

/**
 * The event with every credential-named field of its data redacted. Only the
 * data is passed through: `data` is itself a credential field name to the
 * redaction (a Secret's data), which would blank the whole payload.
 */
export function credentialFreeEvent(event: NotificationEvent): NotificationEvent {
  return { ...event, data: redactCredentials(event.data) } as NotificationEvent;
}

/** The generic body: versioned, with the event's data as stored. */
export function jsonBody(event: NotificationEvent, context: BodyContext): string {
  const safe = credentialFreeEvent(event);
  const { title, detail, path } = describeEvent(safe);
  const body = {
    version: BODY_VERSION,
    id: context.deliveryId,
    event: event.type,
    occurredAt: event.occurredAt,
    title,
    detail,
    links: { pullkeeperUrl: linkTo(context.publicUrl, path) },
    data: safe.data,
  };
  return JSON.stringify(body);
}

/** Slack's mrkdwn needs &, < and > escaped; anything else is shown as written. */
function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A body Slack incoming webhooks (and compatible chat tools) accept: `text` as the fallback, `blocks` for display. */
export function slackBody(event: NotificationEvent, context: BodyContext): string {
  const { title, detail, path } = describeEvent(credentialFreeEvent(event));
  const link = linkTo(context.publicUrl, path);
  const blocks: unknown[] = [
    { type: "header", text: { type: "plain_text", text: title.slice(0, 150), emoji: false } },
    { type: "section", text: { type: "mrkdwn", text: slackEscape(detail).slice(0, 3000) } },
    { type: "context", elements: [{ type: "mrkdwn", text: `\`${event.type}\` at ${event.occurredAt}` }] },
  ];
  if (link) blocks.push({ type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Open in Pullkeeper" }, url: link }] });
  return JSON.stringify({ text: slackEscape(`${title}: ${detail}`), blocks });
}

export function renderBody(format: TargetFormat, event: NotificationEvent, context: BodyContext): string {
  return format === "slack" ? slackBody(event, context) : jsonBody(event, context);
}
