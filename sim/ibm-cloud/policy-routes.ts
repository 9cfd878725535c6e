import { randomUUID } from "node:crypto";
import { findIdenticalPolicy, hasAccess, roleName } from "./authz";
import { apiError } from "./errors";
import { asRecord, authenticate, isResponse, json, optionalString, type Route, type SimContext, type SimRequest, type SimResponse } from "./http";
import { describeRole } from "./seed";
import { type SimAttribute, type SimPolicy } from "./state";

/** IAM Policy Management API v1 (ibm-cloud.md §3.1). */

const KNOWN_ROLES = new Set(["Reader", "Writer", "Manager", "Viewer", "Operator", "Editor", "Administrator", "ServiceIdCreator"]);

function invalid(message: string): SimResponse {
  return json(400, apiError(400, "invalid_body", message));
}

function policyView(ctx: SimContext, p: SimPolicy) {
  const { etag_version: _version, ...rest } = p;
  return { ...rest, href: `${ctx.baseUrl()}/v1/policies/${p.id}` };
}

function etagOf(p: SimPolicy): string {
  return `${p.etag_version}-${p.id.replace(/-/g, "")}`;
}

function parseAttributes(value: unknown, where: string): SimAttribute[] | string {
  const list = asRecord(value)?.attributes;
  if (!Array.isArray(list) || list.length === 0) return `${where}.attributes must be a non-empty array.`;
  const out: SimAttribute[] = [];
  for (const item of list) {
    const a = asRecord(item);
    const name = optionalString(a?.name);
    const val = optionalString(a?.value);
    if (!name || val === undefined || val.length < 1 || val.length > 1000) return `Each attribute in ${where} needs a name and a value of 1-1000 characters.`;
    const operator = optionalString(a?.operator) ?? "stringEquals";
    if (operator !== "stringEquals" && operator !== "stringMatch") return `Attribute operator '${operator}' is not supported.`;
    out.push({ name, value: val, operator });
  }
  return out;
}

/** Validates a v1 create body the way IAM does for the fields the simulator understands. */
function parsePolicy(body: unknown): Pick<SimPolicy, "type" | "subjects" | "roles" | "resources" | "description"> | string {
  const b = asRecord(body);
  if (!b) return "The request body must be a JSON policy.";
  const type = optionalString(b.type);
  if (type !== "access" && type !== "authorization") return "Property 'type' must be 'access' or 'authorization'.";
  if (!Array.isArray(b.subjects) || b.subjects.length !== 1) return "Exactly one subject is required.";
  if (!Array.isArray(b.resources) || b.resources.length !== 1) return "Exactly one resource is required.";
  if (!Array.isArray(b.roles) || b.roles.length === 0) return "At least one role is required.";
  const subjectAttrs = parseAttributes(b.subjects[0], "subjects[0]");
  if (typeof subjectAttrs === "string") return subjectAttrs;
  if (!subjectAttrs.some((a) => a.name === "iam_id" || a.name === "access_group_id")) return "The subject needs an 'iam_id' or 'access_group_id' attribute.";
  const resourceAttrs = parseAttributes(b.resources[0], "resources[0]");
  if (typeof resourceAttrs === "string") return resourceAttrs;
  const names = new Set(resourceAttrs.map((a) => a.name));
  if (!names.has("accountId")) return "The resource needs an 'accountId' attribute.";
  if (!["serviceName", "serviceType", "resourceGroupId", "service_group_id"].some((n) => names.has(n))) {
    return "The resource needs one of 'serviceName', 'serviceType', 'resourceGroupId' or 'service_group_id'.";
  }
  if (names.has("resource") !== names.has("resourceType")) return "'resourceType' and 'resource' must be given together.";
  const roles = [];
  for (const r of b.roles) {
    const roleId = optionalString(asRecord(r)?.role_id);
    if (!roleId || !KNOWN_ROLES.has(roleName(roleId))) return `Role '${roleId ?? ""}' is not a valid role for this service.`;
    roles.push(describeRole(roleId));
  }
  const description = optionalString(b.description);
  return {
    type,
    subjects: [{ attributes: subjectAttrs }],
    roles,
    resources: [{ attributes: resourceAttrs }],
    ...(description !== undefined ? { description } : {}),
  };
}

function resourceValue(p: Pick<SimPolicy, "resources">, name: string): string | undefined {
  return p.resources[0]?.attributes.find((a) => a.name === name)?.value;
}

/** Assigning access to a service takes the Administrator platform role on it (account-wide). */
function canAdminister(ctx: SimContext, iamId: string, accountId: string, serviceName: string | undefined): boolean {
  if (!serviceName) return false;
  return hasAccess(ctx.store.activePolicies(), { iamId, accountId, serviceName, anyOfRoles: ["Administrator"], scope: "account" });
}

function createPolicy(req: SimRequest, ctx: SimContext): SimResponse {
  const caller = authenticate(req, ctx, "incoming.Policy_Create");
  if (isResponse(caller)) return caller;
  const parsed = parsePolicy(req.body);
  if (typeof parsed === "string") return invalid(parsed);
  const accountId = resourceValue(parsed, "accountId");
  const serviceName = resourceValue(parsed, "serviceName");
  if (accountId !== caller.accountId || !canAdminister(ctx, caller.iamId, caller.accountId, serviceName)) {
    return json(403, apiError(403, "insufficient_permissions", "You are not allowed to create the requested policy."));
  }
  const existing = findIdenticalPolicy(ctx.store.activePolicies(), parsed);
  if (existing) {
    return json(
      409,
      apiError(
        409,
        "policy_conflict_error",
        `The policy wasn't created because an access policy with identical attributes already exists. Please update the roles in the existing policy (${existing.id}), or update the one you're trying to assign to include a different attribute assignment.`,
        { details: { conflicts_with: { etag: etagOf(existing), policy: policyView(ctx, existing) } } },
      ),
    );
  }
  const stamp = ctx.now().toISOString();
  const policy: SimPolicy = {
    id: randomUUID(),
    ...parsed,
    created_at: stamp,
    created_by_id: caller.iamId,
    last_modified_at: stamp,
    last_modified_by_id: caller.iamId,
    state: "active",
    etag_version: 1,
  };
  ctx.store.data.policies.push(policy);
  ctx.store.save();
  return json(201, policyView(ctx, policy), { ETag: etagOf(policy) });
}

function listPolicies(req: SimRequest, ctx: SimContext): SimResponse {
  const caller = authenticate(req, ctx, "incoming.Policy_List");
  if (isResponse(caller)) return caller;
  const q = req.url.searchParams;
  const accountId = q.get("account_id");
  if (!accountId) return invalid("Query parameter 'account_id' is required.");
  if (accountId !== caller.accountId) return json(403, apiError(403, "insufficient_permissions", "You are not allowed to list policies in this account."));
  const iamId = q.get("iam_id");
  const type = q.get("type");
  const state = q.get("state") ?? "active";
  const limit = Number(q.get("limit") ?? 50);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return invalid("Query parameter 'limit' must be between 1 and 100.");
  const start = Number(q.get("start") ?? 0);
  const items = ctx.store.data.policies.filter(
    (p) =>
      resourceValue(p, "accountId") === accountId &&
      p.state === state &&
      (type === null || p.type === type) &&
      (iamId === null || p.subjects.some((s) => s.attributes.some((a) => a.name === "iam_id" && a.value === iamId))),
  );
  const page = items.slice(start, start + limit);
  const base = `${ctx.baseUrl()}/v1/policies?account_id=${encodeURIComponent(accountId)}${iamId ? `&iam_id=${encodeURIComponent(iamId)}` : ""}${type ? `&type=${type}` : ""}&limit=${limit}`;
  const body: Record<string, unknown> = { limit, first: { href: base }, policies: page.map((p) => policyView(ctx, p)) };
  if (start + limit < items.length) body.next = { href: `${base}&start=${start + limit}`, start: String(start + limit) };
  return json(200, body);
}

function findPolicy(ctx: SimContext, id: string | undefined): SimPolicy | undefined {
  return ctx.store.data.policies.find((p) => p.id === id && p.state === "active");
}

function getPolicy(req: SimRequest, ctx: SimContext, [id]: string[]): SimResponse {
  const caller = authenticate(req, ctx, "incoming.Policy_Get");
  if (isResponse(caller)) return caller;
  const policy = findPolicy(ctx, id);
  if (!policy || resourceValue(policy, "accountId") !== caller.accountId) return json(404, apiError(404, "policy_not_found", "Policy was not found."));
  return json(200, policyView(ctx, policy), { ETag: etagOf(policy) });
}

function deletePolicy(req: SimRequest, ctx: SimContext, [id]: string[]): SimResponse {
  const caller = authenticate(req, ctx, "incoming.Policy_Delete");
  if (isResponse(caller)) return caller;
  const policy = findPolicy(ctx, id);
  if (!policy || resourceValue(policy, "accountId") !== caller.accountId) return json(404, apiError(404, "policy_not_found", "Policy was not found."));
  if (!canAdminister(ctx, caller.iamId, caller.accountId, resourceValue(policy, "serviceName"))) {
    return json(403, apiError(403, "insufficient_permissions", "You are not allowed to delete the requested policy."));
  }
  policy.state = "deleted";
  policy.etag_version += 1;
  policy.last_modified_at = ctx.now().toISOString();
  policy.last_modified_by_id = caller.iamId;
  ctx.store.save();
  return json(204);
}

export const policyRoutes: Route[] = [
  { method: "GET", pattern: /^\/v1\/policies\/?$/, name: "GET /v1/policies", handle: listPolicies },
  { method: "POST", pattern: /^\/v1\/policies\/?$/, name: "POST /v1/policies", handle: createPolicy },
  { method: "GET", pattern: /^\/v1\/policies\/([^/]+)$/, name: "GET /v1/policies/{id}", handle: getPolicy },
  { method: "DELETE", pattern: /^\/v1\/policies\/([^/]+)$/, name: "DELETE /v1/policies/{id}", handle: deletePolicy },
];

