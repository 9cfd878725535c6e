import { createHmac, timingSafeEqual } from "node:crypto";
import { canonical } from "@/lib/workflows/engine/digest";
import type { RuleMode, RuleSpec } from "./spec";

/**
 * Proof that a person previewed a rule's blast radius before saving it. The
 * preview hands back a token: an HMAC of who previewed, which rule (or a new
 * one), the exact values previewed and when. Saving checks it against the
 * values sent, so a rule whose values differ from the ones reviewed, or one
 * never previewed (an action called directly), is refused. Stateless, so any
 * replica checks a token another one issued (the key comes from AUTH_SECRET).
 */

/** How long a preview may be relied on: the fleet it describes keeps changing. */
export const PREVIEW_TOKEN_TTL_MS = 15 * 60_000;
/** Clock difference between replicas tolerated for a token issued "in the future". */
const CLOCK_SKEW_MS = 60_000;

/** Domain separation: no other HMAC made with the auth secret equals one of these. */
const KEY_PURPOSE = "pullkeeper keeping-rule blast-radius preview";

export interface PreviewedValues {
  /** The session user who previewed (their email). */
  user: string;
  /** The rule being edited; null for a new one. */
  ruleId: string | null;
  /** The values as validated (defaults filled in), so equal values always sign alike. */
  draft: { name: string; description: string; mode: RuleMode; spec: RuleSpec };
}

export type PreviewCheck = { ok: true } | { ok: false; reason: "missing" | "mismatch" | "expired" };

export function previewTokenKey(authSecret: string): Buffer {
  return createHmac("sha256", authSecret).update(KEY_PURPOSE).digest();
}

function mac(key: Buffer, values: PreviewedValues, issuedAt: number): string {
  return createHmac("sha256", key).update(canonical({ ...values, issuedAt })).digest("base64url");
}

export function signPreview(key: Buffer, values: PreviewedValues, issuedAt: number): string {
  return `${issuedAt}.${mac(key, values, issuedAt)}`;
}

/** Whether `token` was issued by a preview of exactly these values, by this user, for this rule, recently enough. */
export function checkPreview(key: Buffer, token: string | undefined, values: PreviewedValues, now: number, ttlMs = PREVIEW_TOKEN_TTL_MS): PreviewCheck {
  if (!token) return { ok: false, reason: "missing" };
  const match = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: "mismatch" };
  const issuedAt = Number(match[1]);
  const presented = Buffer.from(match[2]!, "base64url");
  const expected = Buffer.from(mac(key, values, issuedAt), "base64url");
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return { ok: false, reason: "mismatch" };
  if (issuedAt > now + CLOCK_SKEW_MS || now - issuedAt > ttlMs) return { ok: false, reason: "expired" };
  return { ok: true };
}
