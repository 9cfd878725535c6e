import { randomBytes, randomUUID } from "node:crypto";
import { IDENTITY_READ_ROLES, SERVICE_ID_ADMIN_ROLES } from "./authz";
import { apiError, legacyIamError } from "./errors";
import { asRecord, authenticate, isResponse, json, optionalString, type Route, type SimContext, type SimRequest, type SimResponse } from "./http";
import { apiKeyRoutes } from "./apikey-routes";
import { badRequest, canUseIdentity, forbidden, listQuery, notFound, paginate, serviceIdView } from "./identity-common";
import { signJwt } from "./jwt";
import { serviceIdRecord } from "./seed";

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
export const identityRoutes: Route[] = [
  { method: "POST", pattern: /^\/identity\/token\/?$/, name: "POST /identity/token", handle: issueToken },
  { method: "GET", pattern: /^\/v1\/serviceids\/?$/, name: "GET /v1/serviceids", handle: listServiceIds },
  { method: "POST", pattern: /^\/v1\/serviceids\/?$/, name: "POST /v1/serviceids", handle: createServiceId },
  { method: "GET", pattern: /^\/v1\/serviceids\/([^/]+)$/, name: "GET /v1/serviceids/{id}", handle: getServiceId },
  { method: "DELETE", pattern: /^\/v1\/serviceids\/([^/]+)$/, name: "DELETE /v1/serviceids/{id}", handle: deleteServiceId },
  ...apiKeyRoutes,
];

