import { createHmac, generateKeyPairSync, randomBytes, sign, timingSafeEqual, verify, type KeyObject } from "node:crypto";

/**
 * Registry bearer tokens: HS256 JWTs signed with a per-simulator secret (only
 * the simulator itself reads them). A token from another simulator instance,
 * or a hand-made one, gets the same 401 a real registry gives.
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
  return checkClaims(payload, nowSeconds);
}

/**
 * IAM access tokens are RS256, like IBM's (their `kid` points into the JWKS at
 * `GET /identity/keys`), so a Kubernetes API server (sim/kube's OIDC option)
 * can verify them with the public key alone, as kube-apiserver's OIDC
 * authenticator does with IAM's published keys.
 */
export interface IamSigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function generateIamSigningKey(): IamSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { kid: `sim-${randomBytes(6).toString("hex")}`, privateKey, publicKey };
}

export function signIamJwt(claims: Record<string, unknown>, key: IamSigningKey): string {
  const header = b64url(JSON.stringify({ kid: key.kid, alg: "RS256" }));
  const payload = b64url(JSON.stringify(claims));
  const signature = sign("sha256", Buffer.from(`${header}.${payload}`), key.privateKey).toString("base64url");
  return `${header}.${payload}.${signature}`;
}

export function verifyIamJwt(token: string, key: IamSigningKey, nowSeconds: number): JwtCheck {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "malformed" };
  const [header, payload, signature] = parts as [string, string, string];
  let valid = false;
  try {
    valid = verify("sha256", Buffer.from(`${header}.${payload}`), key.publicKey, Buffer.from(signature, "base64url"));
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, reason: "bad_signature" };
  return checkClaims(payload, nowSeconds);
}

function checkClaims(payload: string, nowSeconds: number): JwtCheck {
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

/** The JWKS document IAM serves at `/identity/keys` (`{keys:[{kty,n,e,alg,kid,use}]}`). */
export function iamJwks(key: IamSigningKey): { keys: Array<Record<string, unknown>> } {
  const jwk = key.publicKey.export({ format: "jwk" });
  return { keys: [{ kty: jwk.kty, n: jwk.n, e: jwk.e, alg: "RS256", kid: key.kid, use: "sig" }] };
}
