import { randomBytes, randomUUID } from "node:crypto";
import { IDENTITY_READ_ROLES, SERVICE_ID_ADMIN_ROLES } from "./authz";
import { apiError, legacyIamError } from "./errors";
import { asRecord, authenticate, header, isResponse, json, optionalString, type Route, type SimContext, type SimRequest, type SimResponse } from "./http";
import { apiKeyRoutes } from "./apikey-routes";
import { badRequest, canUseIdentity, forbidden, listQuery, notFound, paginate, serviceIdView } from "./identity-common";
import { iamJwks, signIamJwt } from "./jwt";
import { serviceIdRecord } from "./seed";

/** IAM token exchange and the IAM Identity API v1 (ibm-cloud.md §1-2). */

const APIKEY_GRANT = "urn:ibm:params:oauth:grant-type:apikey";
const REFRESH_GRANT = "refresh_token";
/** The client the IBM CLI, Terraform and bluemix-go authenticate as (`Authorization: Basic bx:bx`). */
const CLI_CLIENT = `Basic ${Buffer.from("bx:bx").toString("base64")}`;

function tokenError(ctx: SimContext, code: string, message: string): SimResponse {
  return json(400, legacyIamError(code, message, "incoming.Identity_Token", ctx.baseUrl()));
}

/**
 * `POST /identity/token` (ibm-cloud.md §1). Two grants:
 * - `urn:ibm:params:oauth:grant-type:apikey` (IBM/node-sdk-core iam-token-manager.ts; bluemix-go
 *   authentication/iam.go `AuthenticateAPIKey`);
 * - `refresh_token` with `refresh_token=…` (bluemix-go authentication/iam.go `RefreshToken`: same
 *   form, `Authorization: Basic bx:bx`). An unknown or expired refresh token is `BXNIM0407E`, the code
 *   bluemix-go maps to "invalid token" [I: status 400 like the other token-endpoint errors].
 * A real refresh token comes back for users, and for any identity when the request carries the CLI's
 * client credentials (bx:bx), which is how `ibmcloud` and Terraform get one for a service ID's key;
 * the SDK's default client gets `"not_supported"` for a service ID (ibm-cloud.md §1.2) [I: the rule].
 */
function issueToken(req: SimRequest, ctx: SimContext): SimResponse {
  const form = asRecord(req.body) ?? {};
  let key;
  if (form.grant_type === APIKEY_GRANT) {
    const value = optionalString(form.apikey);
    if (!value) return tokenError(ctx, "BXNIM0103E", "Property missing or empty. Property name: 'apikey'.");
    key = ctx.store.findApiKeyByValue(value);
    if (!key || key.disabled) return tokenError(ctx, "BXNIM0415E", "Provided API key could not be found.");
  } else if (form.grant_type === REFRESH_GRANT) {
    const value = optionalString(form.refresh_token);
    if (!value) return tokenError(ctx, "BXNIM0103E", "Property missing or empty. Property name: 'refresh_token'.");
    const entry = ctx.refreshTokens.get(value);
    if (!entry || entry.expiresAt <= ctx.now().getTime() / 1000) return tokenError(ctx, "BXNIM0407E", "The refresh token has expired or is not valid.");
    key = ctx.store.data.apiKeys.find((k) => k.id === entry.apiKeyId);
    // A deleted or disabled key ends the sessions it started [I].
    if (!key || key.disabled) return tokenError(ctx, "BXNIM0415E", "Provided API key could not be found.");
  } else {
    return tokenError(ctx, "BXNIM0109E", "Property 'grant_type' is invalid or not supported.");
  }
  const base = ctx.baseUrl();
  const iat = Math.floor(ctx.now().getTime() / 1000);
  const exp = iat + ctx.tokenTtlSeconds;
  const user = ctx.store.findUser(key.iam_id);
  const serviceId = user ? undefined : ctx.store.findServiceId(key.iam_id);
  const cliClient = header(req, "authorization") === CLI_CLIENT;
  const common = { iam_id: key.iam_id, id: key.iam_id, account: { valid: true, bss: key.account_id }, iat, exp, iss: `${base}/identity`, grant_type: form.grant_type, scope: "ibm openid", client_id: cliClient ? "bx" : "default", jti: randomUUID() };
  const claims = user
    ? { ...common, realmid: "IBMid", sub: user.email, sub_type: "User", email: user.email, name: user.name }
    : { ...common, realmid: "iam", sub: serviceId?.id ?? key.iam_id, sub_type: "ServiceId", name: serviceId?.name };
  let refreshToken = "not_supported";
  if (user || cliClient) {
    refreshToken = randomBytes(24).toString("base64url");
    ctx.refreshTokens.set(refreshToken, { apiKeyId: key.id, expiresAt: iat + ctx.refreshTokenTtlSeconds });
  }
  // Captured with the bx client (gist.github.com/amitpj/7d5e1b3c7baacbfff638850f7d8a86ec): `refresh_token_expiration`, epoch seconds.
  const refreshExpiry = refreshToken === "not_supported" ? {} : { refresh_token_expiration: iat + ctx.refreshTokenTtlSeconds };
  ctx.counters.tokensIssued += 1;
  return json(200, {
    access_token: signIamJwt(claims, ctx.iamKey),
    refresh_token: refreshToken,
    token_type: "Bearer",
    expires_in: ctx.tokenTtlSeconds,
    expiration: exp,
    ...refreshExpiry,
    scope: "ibm openid",
  });
}

/**
 * IAM's OIDC discovery and keys (`https://iam.cloud.ibm.com/identity/.well-known/openid-configuration`,
 * `…/identity/keys`): what a Kubernetes API server configured with `--oidc-issuer-url` reads to
 * verify IAM tokens. Only the fields an OIDC verifier needs [I: the rest of IAM's document].
 */
function openIdConfiguration(_req: SimRequest, ctx: SimContext): SimResponse {
  const issuer = `${ctx.baseUrl()}/identity`;
  return json(200, {
    issuer,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/keys`,
    id_token_signing_alg_values_supported: ["RS256"],
    grant_types_supported: [APIKEY_GRANT, REFRESH_GRANT],
  });
}

function keys(_req: SimRequest, ctx: SimContext): SimResponse {
  return json(200, iamJwks(ctx.iamKey));
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
  { method: "GET", pattern: /^\/identity\/\.well-known\/openid-configuration$/, name: "GET /identity/.well-known/openid-configuration", handle: openIdConfiguration },
  { method: "GET", pattern: /^\/identity\/keys$/, name: "GET /identity/keys", handle: keys },
  { method: "GET", pattern: /^\/v1\/serviceids\/?$/, name: "GET /v1/serviceids", handle: listServiceIds },
  { method: "POST", pattern: /^\/v1\/serviceids\/?$/, name: "POST /v1/serviceids", handle: createServiceId },
  { method: "GET", pattern: /^\/v1\/serviceids\/([^/]+)$/, name: "GET /v1/serviceids/{id}", handle: getServiceId },
  { method: "DELETE", pattern: /^\/v1\/serviceids\/([^/]+)$/, name: "DELETE /v1/serviceids/{id}", handle: deleteServiceId },
  ...apiKeyRoutes,
];

