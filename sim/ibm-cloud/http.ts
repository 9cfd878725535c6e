import type { IncomingHttpHeaders } from "node:http";
import { legacyIamError } from "./errors";
import { verifyIamJwt, type IamSigningKey } from "./jwt";
import type { SimCluster } from "./clusters";
import type { SimStore } from "./state";

/** What a route handler sees: the parsed request, with no Node stream left to manage. */
export interface SimRequest {
  method: string;
  url: URL;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON object, parsed form fields, or undefined when the body was empty. */
  body: unknown;
  bodyError?: string;
}

export interface SimResponse {
  status: number;
  body?: unknown;
  /** A non-JSON answer (the kubeconfig ZIP). */
  raw?: { contentType: string; data: Buffer };
  headers?: Record<string, string>;
}

export interface SimContext {
  store: SimStore;
  /** Signs the registry bearer tokens of this simulator instance. */
  secret: string;
  /** Signs IAM access tokens (RS256; public half served at `/identity/keys`). */
  iamKey: IamSigningKey;
  baseUrl: () => string;
  now: () => Date;
  tokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Refresh tokens issued by this instance (in memory: a restart signs everyone out, as a key rotation would). */
  refreshTokens: Map<string, { apiKeyId: string; expiresAt: number }>;
  /** The Kubernetes Service clusters of the simulated accounts. */
  clusters: () => SimCluster[];
  counters: { tokensIssued: number; registryTokensIssued: number };
}

export interface Caller {
  iamId: string;
  accountId: string;
}

export type Route = {
  method: string;
  pattern: RegExp;
  /** Stable label used in request stats (`GET /v1/serviceids/{id}`). */
  name: string;
  handle: (req: SimRequest, ctx: SimContext, params: string[]) => SimResponse | Promise<SimResponse>;
};

export function json(status: number, body?: unknown, headers?: Record<string, string>): SimResponse {
  return { status, ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) };
}

export function header(req: SimRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Resolves the caller from `Authorization: Bearer <IAM access token>`, or the
 * 401 a real IAM API returns (legacy body, ibm-cloud.md §1.3).
 */
export function authenticate(req: SimRequest, ctx: SimContext, requestType: string): Caller | SimResponse {
  const auth = header(req, "authorization");
  if (!auth) return json(401, legacyIamError("BXNIM0308E", "No authorization header found", requestType, ctx.baseUrl()));
  const match = /^Bearer\s+(.+)$/i.exec(auth);
  if (!match?.[1]) return json(401, legacyIamError("BXNIM0308E", "No authorization header found", requestType, ctx.baseUrl()));
  const check = verifyIamJwt(match[1], ctx.iamKey, Math.floor(ctx.now().getTime() / 1000));
  if (!check.ok) {
    const message = check.reason === "expired" ? "The provided token has expired." : "The provided token is not valid.";
    return json(401, legacyIamError(check.reason === "expired" ? "BXNIM0407E" : "BXNIM0302E", message, requestType, ctx.baseUrl()));
  }
  const iamId = check.claims.iam_id;
  const account = check.claims.account as { bss?: unknown } | undefined;
  if (typeof iamId !== "string" || typeof account?.bss !== "string") {
    return json(401, legacyIamError("BXNIM0302E", "The provided token is not valid.", requestType, ctx.baseUrl()));
  }
  return { iamId, accountId: account.bss };
}

export function isResponse(value: Caller | SimResponse): value is SimResponse {
  return (value as SimResponse).status !== undefined;
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function optionalString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
