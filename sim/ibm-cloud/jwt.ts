import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * HS256 JWTs signed with a per-simulator secret. The IBM SDK only decodes the
 * access token (it reads `iat`/`exp`), but the simulator verifies its own
 * signature so that a token from another simulator instance, or a hand-made
 * one, gets the same 401 a real IAM gives.
 */

function b64url(input: Buffer | string): string {
  return Buffer.from(input).toString("base64url");
}

export function signJwt(claims: Record<string, unknown>, secret: string): string {
  const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT", kid: "sim-ibm-cloud" }));
  const payload = b64url(JSON.stringify(claims));
  const signature = createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

export type JwtCheck =
  | { ok: true; claims: Record<string, unknown> }
  | { ok: false; reason: "malformed" | "bad_signature" | "expired" };

export function verifyJwt(token: string, secret: string, nowSeconds: number): JwtCheck {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "malformed" };
  const [header, payload, signature] = parts as [string, string, string];
  const expected = Buffer.from(createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url"));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: "bad_signature" };
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (typeof claims !== "object" || claims === null) return { ok: false, reason: "malformed" };
  const exp = (claims as { exp?: unknown }).exp;
  if (typeof exp !== "number" || exp <= nowSeconds) return { ok: false, reason: "expired" };
  return { ok: true, claims: claims as Record<string, unknown> };
}
