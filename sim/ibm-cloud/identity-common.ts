import { hasAccess } from "./authz";
import { apiError } from "./errors";
import { asRecord, json, optionalString, type Caller, type SimContext, type SimRequest, type SimResponse } from "./http";
import type { SimApiKey, SimServiceId } from "./state";

/** Responses, access checks, paging and views shared by the IAM Identity routes (ibm-cloud.md §2). */

export function forbidden(): SimResponse {
  return json(403, apiError(403, "forbidden", "You are not authorized to perform this action.", { message_code: "BXNIM0513E" }));
}

export function notFound(what: string): SimResponse {
  return json(404, apiError(404, "not_found", `${what} not found.`, { message_code: "BXNIM0405E" }));
}

export function badRequest(message: string): SimResponse {
  return json(400, apiError(400, "invalid_request", message, { message_code: "BXNIM0101E" }));
}

export function canUseIdentity(ctx: SimContext, caller: Caller, accountId: string, roles: readonly string[]): boolean {
  if (caller.accountId !== accountId) return false;
  return hasAccess(ctx.store.activePolicies(), { iamId: caller.iamId, accountId, serviceName: "iam-identity", anyOfRoles: roles, scope: "account" });
}

/** Opaque page tokens carrying the offset and the filters of the first request. */
export function encodePageToken(state: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(state)).toString("base64url");
}

export function decodePageToken(token: string): Record<string, unknown> | undefined {
  try {
    return asRecord(JSON.parse(Buffer.from(token, "base64url").toString("utf8")));
  } catch {
    return undefined;
  }
}

export function paginate<T>(
  req: SimRequest,
  ctx: SimContext,
  collection: string,
  filters: Record<string, string | undefined>,
  offset: number,
  pagesize: number,
  items: T[],
) {
  const page = items.slice(offset, offset + pagesize);
  const base = `${ctx.baseUrl()}/v1/${collection}`;
  const firstQuery = new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => e[1] !== undefined));
  const body: Record<string, unknown> = { offset, limit: pagesize, first: `${base}?${firstQuery.toString()}` };
  if (offset > 0) body.previous = `${base}?pagetoken=${encodePageToken({ ...filters, offset: Math.max(0, offset - pagesize), pagesize })}`;
  if (offset + pagesize < items.length) body.next = `${base}?pagetoken=${encodePageToken({ ...filters, offset: offset + pagesize, pagesize })}`;
  return { body, page };
}

/** Reads pagesize/pagetoken and the filters, preferring the ones frozen in a page token. */
export function listQuery(req: SimRequest, names: string[]): { filters: Record<string, string | undefined>; offset: number; pagesize: number } | SimResponse {
  const q = req.url.searchParams;
  const token = q.get("pagetoken");
  const state = token ? decodePageToken(token) : {};
  if (!state) return badRequest("The pagetoken is not valid.");
  const filters: Record<string, string | undefined> = {};
  for (const n of names) filters[n] = optionalString(state[n]) ?? q.get(n) ?? undefined;
  const pagesize = Number(q.get("pagesize") ?? state.pagesize ?? 20);
  if (!Number.isInteger(pagesize) || pagesize < 1 || pagesize > 100) return badRequest("pagesize must be between 1 and 100.");
  const offset = typeof state.offset === "number" ? state.offset : 0;
  return { filters, offset, pagesize };
}

export function serviceIdView(s: SimServiceId) {
  return { ...s };
}

/** The key value is returned on create only, or on reads of a service-ID key stored with store_value. */
export function apiKeyView(k: SimApiKey, includeValue: boolean) {
  const { apikey, store_value: storeValue, ...rest } = k;
  return includeValue || storeValue ? { ...rest, apikey } : { ...rest };
}
