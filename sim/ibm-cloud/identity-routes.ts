import { randomBytes, randomUUID } from "node:crypto";
import { hasAccess, IDENTITY_READ_ROLES, IDENTITY_WRITE_ROLES, SERVICE_ID_ADMIN_ROLES } from "./authz";
import { apiError, legacyIamError } from "./errors";
import {
  asRecord,
  authenticate,
  header,
  isResponse,
  json,
  optionalString,
  type Caller,
  type Route,
  type SimContext,
  type SimRequest,
  type SimResponse,
} from "./http";
import { signJwt } from "./jwt";
import { apiKeyRecord, serviceIdRecord } from "./seed";
import { generateApiKeyValue, type SimApiKey, type SimServiceId } from "./state";

/** IAM token exchange and the IAM Identity API v1 (ibm-cloud.md §1-2). */

const APIKEY_GRANT = "urn:ibm:params:oauth:grant-type:apikey";

function issueToken(req: SimRequest, ctx: SimContext): SimResponse {
  const form = asRecord(req.body) ?? {};
  const base = ctx.baseUrl();
  if (form.grant_type !== APIKEY_GRANT) {
    return json(400, legacyIamError("BXNIM0109E", "Property 'grant_type' is invalid or not supported.", "incoming.Identity_Token", base));
  }
  const value = optionalString(form.apikey);
  if (!value) {
    return json(400, legacyIamError("BXNIM0103E", "Property missing or empty. Property name: 'apikey'.", "incoming.Identity_Token", base));
  }
  const key = ctx.store.findApiKeyByValue(value);
  if (!key || key.disabled) {
    return json(400, legacyIamError("BXNIM0415E", "Provided API key could not be found.", "incoming.Identity_Token", base));
  }
  const iat = Math.floor(ctx.now().getTime() / 1000);
  const exp = iat + ctx.tokenTtlSeconds;
  const user = ctx.store.findUser(key.iam_id);
  const serviceId = user ? undefined : ctx.store.findServiceId(key.iam_id);
  const common = { iam_id: key.iam_id, id: key.iam_id, account: { valid: true, bss: key.account_id }, iat, exp, iss: `${base}/identity`, grant_type: APIKEY_GRANT, scope: "ibm openid", client_id: "default", jti: randomUUID() };
  const claims = user
    ? { ...common, realmid: "IBMid", sub: user.email, sub_type: "User", email: user.email, name: user.name }
    : { ...common, realmid: "iam", sub: serviceId?.id ?? key.iam_id, sub_type: "ServiceId", name: serviceId?.name };
  ctx.counters.tokensIssued += 1;
  return json(200, {
    access_token: signJwt(claims, ctx.secret),
    refresh_token: user ? randomBytes(24).toString("base64url") : "not_supported",
    token_type: "Bearer",
    expires_in: ctx.tokenTtlSeconds,
    expiration: exp,
    scope: "ibm openid",
  });
}

function forbidden(): SimResponse {
  return json(403, apiError(403, "forbidden", "You are not authorized to perform this action.", { message_code: "BXNIM0513E" }));
}

function notFound(what: string): SimResponse {
  return json(404, apiError(404, "not_found", `${what} not found.`, { message_code: "BXNIM0405E" }));
}

function badRequest(message: string): SimResponse {
  return json(400, apiError(400, "invalid_request", message, { message_code: "BXNIM0101E" }));
}

function canUseIdentity(ctx: SimContext, caller: Caller, accountId: string, roles: readonly string[]): boolean {
  if (caller.accountId !== accountId) return false;
  return hasAccess(ctx.store.activePolicies(), { iamId: caller.iamId, accountId, serviceName: "iam-identity", anyOfRoles: roles, scope: "account" });
}

/** Opaque page tokens carrying the offset and the filters of the first request. */
function encodePageToken(state: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(state)).toString("base64url");
}

function decodePageToken(token: string): Record<string, unknown> | undefined {
  try {
    return asRecord(JSON.parse(Buffer.from(token, "base64url").toString("utf8")));
  } catch {
    return undefined;
  }
}

function paginate<T>(
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
function listQuery(req: SimRequest, names: string[]): { filters: Record<string, string | undefined>; offset: number; pagesize: number } | SimResponse {
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

function serviceIdView(s: SimServiceId) {
  return { ...s };
}

/** The key value is returned on create only, or on reads of a service-ID key stored with store_value. */
function apiKeyView(k: SimApiKey, includeValue: boolean) {
  const { apikey, store_value: storeValue, ...rest } = k;
  return includeValue || storeValue ? { ...rest, apikey } : { ...rest };
}

function listServiceIds(req: SimRequest, ctx: SimContext): SimResponse {
  const caller = authenticate(req, ctx, "incoming.ServiceId_List");
  if (isResponse(caller)) return caller;
  const query = listQuery(req, ["account_id", "name"]);
  if ("status" in query) return query;
  const accountId = query.filters.account_id;
  if (!accountId) return badRequest("Property missing or empty. Property name: 'account_id'.");
  if (!canUseIdentity(ctx, caller, accountId, IDENTITY_READ_ROLES)) return forbidden();
  const items = ctx.store.data.serviceIds.filter(
    (s) => s.account_id === accountId && (query.filters.name === undefined || s.name === query.filters.name),
  );
  const { body, page } = paginate(req, ctx, "serviceids", query.filters, query.offset, query.pagesize, items);
  return json(200, { ...body, serviceids: page.map(serviceIdView) });
}

function createServiceId(req: SimRequest, ctx: SimContext): SimResponse {
  const caller = authenticate(req, ctx, "incoming.ServiceId_Create");
  if (isResponse(caller)) return caller;
  const body = asRecord(req.body);
  const accountId = optionalString(body?.account_id);
  const name = optionalString(body?.name);
  if (!accountId) return badRequest("Property missing or empty. Property name: 'account_id'.");
  if (!name || name.length > 300) return badRequest("Property missing or empty. Property name: 'name'.");
  if (!canUseIdentity(ctx, caller, accountId, SERVICE_ID_ADMIN_ROLES)) return forbidden();
  const now = ctx.now();
  const record = serviceIdRecord(accountId, randomUUID(), name, optionalString(body?.description) ?? "", now);
  ctx.store.data.serviceIds.push(record);
  ctx.store.save();
  return json(201, serviceIdView(record), { ETag: record.entity_tag });
}

function getServiceId(req: SimRequest, ctx: SimContext, [id]: string[]): SimResponse {
  const caller = authenticate(req, ctx, "incoming.ServiceId_Get");
  if (isResponse(caller)) return caller;
  const record = ctx.store.data.serviceIds.find((s) => s.id === id);
  if (!record) return notFound("Service ID");
  if (!canUseIdentity(ctx, caller, record.account_id, IDENTITY_READ_ROLES)) return forbidden();
  return json(200, serviceIdView(record), { ETag: record.entity_tag });
}

function deleteServiceId(req: SimRequest, ctx: SimContext, [id]: string[]): SimResponse {
  const caller = authenticate(req, ctx, "incoming.ServiceId_Delete");
  if (isResponse(caller)) return caller;
  const record = ctx.store.data.serviceIds.find((s) => s.id === id);
  if (!record) return notFound("Service ID");
  if (!canUseIdentity(ctx, caller, record.account_id, SERVICE_ID_ADMIN_ROLES)) return forbidden();
  if (record.locked) return json(409, apiError(409, "conflict", "The service ID is locked.", { message_code: "BXNIM0511E" }));
  const data = ctx.store.data;
  data.serviceIds = data.serviceIds.filter((s) => s !== record);
  // Deleting a service ID deletes its API keys (SDK doc) and leaves its policies without a subject; IAM cleans those up too.
  data.apiKeys = data.apiKeys.filter((k) => k.iam_id !== record.iam_id);
  for (const p of data.policies) {
    if (p.subjects.some((s) => s.attributes.some((a) => a.name === "iam_id" && a.value === record.iam_id))) p.state = "deleted";
  }
  ctx.store.save();
  return json(204);
}

function createApiKey(req: SimRequest, ctx: SimContext): SimResponse {
  const caller = authenticate(req, ctx, "incoming.ApiKey_Create");
  if (isResponse(caller)) return caller;
  const body = asRecord(req.body);
  const name = optionalString(body?.name);
  const rawIamId = optionalString(body?.iam_id);
  if (!name) return badRequest("Property missing or empty. Property name: 'name'.");
  if (!rawIamId) return badRequest("Property missing or empty. Property name: 'iam_id'.");
  const serviceId = ctx.store.findServiceId(rawIamId);
  const ownerIamId = serviceId?.iam_id ?? rawIamId;
  const ownerAccount = ctx.store.accountOf(ownerIamId);
  if (!ownerAccount) return notFound("Identity");
  const isOwnKey = ownerIamId === caller.iamId;
  if (!isOwnKey && !canUseIdentity(ctx, caller, ownerAccount, IDENTITY_WRITE_ROLES)) return forbidden();
  const record = apiKeyRecord(
    {
      accountId: ownerAccount,
      uuid: randomUUID(),
      name,
      ...(optionalString(body?.description) !== undefined ? { description: optionalString(body?.description) } : {}),
      iamId: ownerIamId,
      createdBy: caller.iamId,
      value: optionalString(body?.apikey) ?? generateApiKeyValue(),
      storeValue: serviceId !== undefined && body?.store_value === true,
    },
    ctx.now(),
  );
  ctx.store.data.apiKeys.push(record);
  ctx.store.save();
  return json(201, apiKeyView(record, true), { ETag: record.entity_tag });
}

function listApiKeys(req: SimRequest, ctx: SimContext): SimResponse {
  const caller = authenticate(req, ctx, "incoming.ApiKey_List");
  if (isResponse(caller)) return caller;
  const query = listQuery(req, ["account_id", "iam_id", "scope", "type"]);
  if ("status" in query) return query;
  const accountId = query.filters.account_id ?? caller.accountId;
  const scope = query.filters.scope ?? "entity";
  const rawIamId = query.filters.iam_id;
  const iamId = rawIamId ? (ctx.store.findServiceId(rawIamId)?.iam_id ?? rawIamId) : caller.iamId;
  if (scope === "entity" && iamId !== caller.iamId && !canUseIdentity(ctx, caller, accountId, IDENTITY_READ_ROLES)) return forbidden();
  if (scope === "account" && !canUseIdentity(ctx, caller, accountId, IDENTITY_READ_ROLES)) return forbidden();
  const type = query.filters.type;
  const items = ctx.store.data.apiKeys.filter((k) => {
    if (k.account_id !== accountId) return false;
    if (scope === "entity" && k.iam_id !== iamId) return false;
    if (type === "serviceid" && !k.iam_id.startsWith("iam-ServiceId-")) return false;
    if (type === "user" && k.iam_id.startsWith("iam-ServiceId-")) return false;
    return true;
  });
  const { body, page } = paginate(req, ctx, "apikeys", query.filters, query.offset, query.pagesize, items);
  return json(200, { ...body, apikeys: page.map((k) => apiKeyView(k, false)) });
}

function apiKeyDetails(req: SimRequest, ctx: SimContext): SimResponse {
  const caller = authenticate(req, ctx, "incoming.ApiKey_Details");
  if (isResponse(caller)) return caller;
  const value = header(req, "iam-apikey");
  if (!value) return badRequest("Property missing or empty. Property name: 'IAM-ApiKey'.");
  const key = ctx.store.findApiKeyByValue(value);
  if (!key) return notFound("API key");
  if (key.iam_id !== caller.iamId && !canUseIdentity(ctx, caller, key.account_id, IDENTITY_READ_ROLES)) return forbidden();
  return json(200, apiKeyView(key, false), { ETag: key.entity_tag });
}

function getApiKey(req: SimRequest, ctx: SimContext, [id]: string[]): SimResponse {
  const caller = authenticate(req, ctx, "incoming.ApiKey_Get");
  if (isResponse(caller)) return caller;
  const key = ctx.store.data.apiKeys.find((k) => k.id === id);
  if (!key) return notFound("API key");
  if (key.iam_id !== caller.iamId && !canUseIdentity(ctx, caller, key.account_id, IDENTITY_READ_ROLES)) return forbidden();
  return json(200, apiKeyView(key, false), { ETag: key.entity_tag });
}

function deleteApiKey(req: SimRequest, ctx: SimContext, [id]: string[]): SimResponse {
  const caller = authenticate(req, ctx, "incoming.ApiKey_Delete");
  if (isResponse(caller)) return caller;
  const key = ctx.store.data.apiKeys.find((k) => k.id === id);
  if (!key) return notFound("API key");
  if (key.iam_id !== caller.iamId && !canUseIdentity(ctx, caller, key.account_id, IDENTITY_WRITE_ROLES)) return forbidden();
  if (key.locked) return json(409, apiError(409, "conflict", "The API key is locked.", { message_code: "BXNIM0512E" }));
  ctx.store.data.apiKeys = ctx.store.data.apiKeys.filter((k) => k !== key);
  ctx.store.save();
  return json(204);
}

export const identityRoutes: Route[] = [
  { method: "POST", pattern: /^\/identity\/token\/?$/, name: "POST /identity/token", handle: issueToken },
  { method: "GET", pattern: /^\/v1\/serviceids\/?$/, name: "GET /v1/serviceids", handle: listServiceIds },
  { method: "POST", pattern: /^\/v1\/serviceids\/?$/, name: "POST /v1/serviceids", handle: createServiceId },
  { method: "GET", pattern: /^\/v1\/serviceids\/([^/]+)$/, name: "GET /v1/serviceids/{id}", handle: getServiceId },
  { method: "DELETE", pattern: /^\/v1\/serviceids\/([^/]+)$/, name: "DELETE /v1/serviceids/{id}", handle: deleteServiceId },
  { method: "GET", pattern: /^\/v1\/apikeys\/?$/, name: "GET /v1/apikeys", handle: listApiKeys },
  { method: "POST", pattern: /^\/v1\/apikeys\/?$/, name: "POST /v1/apikeys", handle: createApiKey },
  { method: "GET", pattern: /^\/v1\/apikeys\/details$/, name: "GET /v1/apikeys/details", handle: apiKeyDetails },
  { method: "GET", pattern: /^\/v1\/apikeys\/([^/]+)$/, name: "GET /v1/apikeys/{id}", handle: getApiKey },
  { method: "DELETE", pattern: /^\/v1\/apikeys\/([^/]+)$/, name: "DELETE /v1/apikeys/{id}", handle: deleteApiKey },
];

