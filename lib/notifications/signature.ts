import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Webhook signatures: `X-Pullkeeper-Signature: t=<unix seconds>,v1=<hex>`,
 * where hex is HMAC-SHA256(secret, `${t}.${body}`). Signing the timestamp with
 * the body lets a receiver refuse a replayed request; `v1` names the scheme so
 * a later one can be sent beside it. Pure.
 */

export const SIGNATURE_HEADER = "X-Pullkeeper-Signature";
const SECRET_PREFIX = "whsec_";

/** A new signing secret: 32 random bytes, prefixed so it is recognisable in a receiver's configuration. */
export function generateSigningSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString("base64url")}`;
}

/** What the page shows of a secret after it was created: the prefix and four characters, enough to tell two apart. */
export function secretHint(secret: string): string {
  return `${secret.slice(0, SECRET_PREFIX.length + 4)}…`;
}

export function signatureHeader(secret: string, body: string, timestampSeconds: number): string {
  const digest = createHmac("sha256", secret).update(`${timestampSeconds}.${body}`).digest("hex");
  return `t=${timestampSeconds},v1=${digest}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: "malformed" | "stale" | "mismatch" };

/**
 * The receiver's check (documented in the README; used by the tests): the
 * header parses, its timestamp is within `toleranceSeconds` of now, and one
 * of its v1 digests equals ours (compared in constant time).
 */
export function verifySignature(header: string, body: string, secret: string, nowSeconds: number, toleranceSeconds = 300): SignatureCheck {
  const parts = header.split(",").map((part) => part.trim().split("="));
  const timestamp = Number(parts.find(([key]) => key === "t")?.[1]);
  const digests = parts.filter(([key, value]) => key === "v1" && value !== undefined && /^[0-9a-f]{64}$/.test(value)).map(([, value]) => value!);
  if (!Number.isInteger(timestamp) || digests.length === 0) return { ok: false, reason: "malformed" };
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return { ok: false, reason: "stale" };
  const expected = Buffer.from(signatureHeader(secret, body, timestamp).split("v1=")[1]!, "hex");
  return digests.some((digest) => timingSafeEqual(Buffer.from(digest, "hex"), expected)) ? { ok: true } : { ok: false, reason: "mismatch" };
}
