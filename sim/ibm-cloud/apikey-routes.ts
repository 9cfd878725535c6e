import { randomBytes, randomUUID } from "node:crypto";
import { IDENTITY_READ_ROLES, IDENTITY_WRITE_ROLES } from "./authz";
import { apiError } from "./errors";
import { asRecord, authenticate, header, isResponse, json, optionalString, type Route, type SimContext, type SimRequest, type SimResponse } from "./http";
import { apiKeyView, badRequest, canUseIdentity, forbidden, listQuery, notFound, paginate } from "./identity-common";
import { apiKeyRecord } from "./seed";
import { generateApiKeyValue } from "./state";

/** The IAM Identity API's API-key routes (ibm-cloud.md §2.2). */

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

/**
 * Lock / unlock (`POST|DELETE /v1/apikeys/{id}/lock`) and disable / enable
 * (`POST|DELETE /v1/apikeys/{id}/disable`), 204 on success (ibm-cloud.md §2.2).
 * A locked key cannot be deleted (409 BXNIM0512E); a disabled key gets no token
 * and no registry login, and its details still answer with `disabled: true`.
 */
function setApiKeyFlag(flag: "locked" | "disabled", value: boolean, operation: string) {
  return (req: SimRequest, ctx: SimContext, [id]: string[]): SimResponse => {
    const caller = authenticate(req, ctx, operation);
    if (isResponse(caller)) return caller;
    const key = ctx.store.data.apiKeys.find((k) => k.id === id);
    if (!key) return notFound("API key");
    if (key.iam_id !== caller.iamId && !canUseIdentity(ctx, caller, key.account_id, IDENTITY_WRITE_ROLES)) return forbidden();
    if (key[flag] !== value) {
      key[flag] = value;
      key.entity_tag = nextEntityTag(key.entity_tag);
      key.modified_at = ctx.now().toISOString();
      ctx.store.save();
    }
    return json(204);
  };
}

/** `1-<hex>` → `2-<hex>`: the version prefix moves on every change, as IAM's does. */
function nextEntityTag(tag: string): string {
  const [version, rest] = tag.split("-", 2);
  return `${Number(version) + 1 || 2}-${rest ?? randomBytes(16).toString("hex")}`;
}

export const apiKeyRoutes: Route[] = [
  { method: "GET", pattern: /^\/v1\/apikeys\/?$/, name: "GET /v1/apikeys", handle: listApiKeys },
  { method: "POST", pattern: /^\/v1\/apikeys\/?$/, name: "POST /v1/apikeys", handle: createApiKey },
  { method: "GET", pattern: /^\/v1\/apikeys\/details$/, name: "GET /v1/apikeys/details", handle: apiKeyDetails },
  { method: "GET", pattern: /^\/v1\/apikeys\/([^/]+)$/, name: "GET /v1/apikeys/{id}", handle: getApiKey },
  { method: "DELETE", pattern: /^\/v1\/apikeys\/([^/]+)$/, name: "DELETE /v1/apikeys/{id}", handle: deleteApiKey },
  { method: "POST", pattern: /^\/v1\/apikeys\/([^/]+)\/lock$/, name: "POST /v1/apikeys/{id}/lock", handle: setApiKeyFlag("locked", true, "incoming.ApiKey_Lock") },
  { method: "DELETE", pattern: /^\/v1\/apikeys\/([^/]+)\/lock$/, name: "DELETE /v1/apikeys/{id}/lock", handle: setApiKeyFlag("locked", false, "incoming.ApiKey_Unlock") },
  { method: "POST", pattern: /^\/v1\/apikeys\/([^/]+)\/disable$/, name: "POST /v1/apikeys/{id}/disable", handle: setApiKeyFlag("disabled", true, "incoming.ApiKey_Disable") },
  { method: "DELETE", pattern: /^\/v1\/apikeys\/([^/]+)\/disable$/, name: "DELETE /v1/apikeys/{id}/disable", handle: setApiKeyFlag("disabled", false, "incoming.ApiKey_Enable") },
];
