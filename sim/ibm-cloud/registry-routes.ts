import { hasAccess, REGISTRY_PULL_ROLES } from "./authz";
import { registryError } from "./errors";
import { asRecord, header, json, optionalString, type Route, type SimContext, type SimRequest, type SimResponse } from "./http";
import { signJwt, verifyIamJwt, verifyJwt } from "./jwt";
import { findRegistryDomain, type SimRegistryDomain } from "./regions";

/**
 * Docker Registry v2 auth for every icr.io and legacy registry.*.bluemix.net
 * domain, served under `/{domain}/…` on the simulator's one port
 * (ibm-cloud.md §5.2-5.3). Only authentication and authorisation are
 * simulated: the registries hold no images, so an authorised manifest read is
 * a MANIFEST_UNKNOWN.
 */

const DISTRIBUTION_HEADER = { "Docker-Distribution-Api-Version": "registry/2.0" };
const UNSUPPORTED_MESSAGE =
  "UNSUPPORTED: The requested authentication method is not supported. Run the `bx cr login` command. To use registry tokens, use `docker login -u token` and your registry token as the password.";
const BAD_LOGIN_MESSAGE = "The login credentials are not valid, or your IBM Cloud account is not active.";
const REGISTRY_TOKEN_TTL_SECONDS = 300;

interface RepoScope {
  name: string;
  namespace: string;
  actions: string[];
}

function registrySecret(ctx: SimContext): string {
  return `${ctx.secret}:registry`;
}

function challenge(ctx: SimContext, domain: string, scope?: string): SimResponse {
  const realm = `${ctx.baseUrl()}/${domain}/oauth/token`;
  const value = `Bearer realm="${realm}",service="registry"${scope ? `,scope="${scope}"` : ""}`;
  return json(401, registryError("UNAUTHORIZED", "authentication required"), { ...DISTRIBUTION_HEADER, "WWW-Authenticate": value });
}

function parseScopes(values: string[]): RepoScope[] {
  const out: RepoScope[] = [];
  for (const value of values) {
    for (const part of value.split(" ")) {
      const m = /^repository:([^:]+):(.+)$/.exec(part);
      if (!m?.[1] || !m[2]) continue;
      out.push({ name: m[1], namespace: m[1].split("/")[0] ?? m[1], actions: m[2].split(",") });
    }
  }
  return out;
}

function readCredentials(req: SimRequest): { username: string; password: string } | undefined {
  const auth = header(req, "authorization");
  const basic = auth ? /^Basic\s+(.+)$/i.exec(auth) : null;
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], "base64").toString("utf8");
    const idx = decoded.indexOf(":");
    if (idx > 0) return { username: decoded.slice(0, idx), password: decoded.slice(idx + 1) };
  }
  const form = asRecord(req.body);
  const username = optionalString(form?.username);
  const password = optionalString(form?.password);
  return username && password !== undefined ? { username, password } : undefined;
}

/** Who the credential stands for, or the registry's refusal. */
function resolveIdentity(ctx: SimContext, site: SimRegistryDomain, creds: { username: string; password: string }): { iamId: string; accountId: string } | SimResponse {
  if (creds.username === "token") {
    // Registry tokens stopped working on 19 Aug 2021; icr.io never took them.
    return site.legacy
      ? json(401, registryError("UNAUTHORIZED", "authentication required: registry tokens are no longer supported; use an IAM API key with the username iamapikey"), DISTRIBUTION_HEADER)
      : json(401, registryError("UNSUPPORTED", UNSUPPORTED_MESSAGE), DISTRIBUTION_HEADER);
  }
  if (creds.username === "iamapikey") {
    const key = ctx.store.findApiKeyByValue(creds.password);
    if (!key || key.disabled) return json(401, registryError("UNAUTHORIZED", BAD_LOGIN_MESSAGE), DISTRIBUTION_HEADER);
    return { iamId: key.iam_id, accountId: key.account_id };
  }
  if (creds.username === "iambearer") {
    const check = verifyIamJwt(creds.password, ctx.iamKey, Math.floor(ctx.now().getTime() / 1000));
    const account = check.ok ? (check.claims.account as { bss?: unknown } | undefined) : undefined;
    if (!check.ok || typeof check.claims.iam_id !== "string" || typeof account?.bss !== "string") {
      return json(401, registryError("UNAUTHORIZED", BAD_LOGIN_MESSAGE), DISTRIBUTION_HEADER);
    }
    return { iamId: check.claims.iam_id, accountId: account.bss };
  }
  return json(401, registryError("UNSUPPORTED", UNSUPPORTED_MESSAGE), DISTRIBUTION_HEADER);
}

function issueRegistryToken(req: SimRequest, ctx: SimContext, [domain]: string[]): SimResponse {
  const site = findRegistryDomain(domain ?? "");
  if (!site) return json(404, registryError("NOT_FOUND", `unknown registry domain ${domain ?? ""}`));
  const creds = readCredentials(req);
  if (!creds) return json(401, registryError("UNAUTHORIZED", "authentication required"), DISTRIBUTION_HEADER);
  const identity = resolveIdentity(ctx, site, creds);
  if ("status" in identity) return identity;
  const form = asRecord(req.body);
  const scopeValues = [...req.url.searchParams.getAll("scope"), ...(optionalString(form?.scope) ? [optionalString(form?.scope) as string] : [])];
  const scopes = parseScopes(scopeValues);
  const policies = ctx.store.activePolicies();
  const pullAllowed = (namespace?: string) =>
    hasAccess(policies, {
      iamId: identity.iamId,
      accountId: identity.accountId,
      serviceName: "container-registry",
      anyOfRoles: REGISTRY_PULL_ROLES,
      scope: { region: site.region, ...(namespace !== undefined ? { namespace } : {}) },
    });
  if (!pullAllowed()) {
    return json(403, registryError("DENIED", `You are not authorized to access the specified resource: no access policy grants this identity Reader on container-registry in ${site.region}.`), DISTRIBUTION_HEADER);
  }
  const access = scopes
    .filter((s) => pullAllowed(s.namespace))
    .map((s) => ({ type: "repository", name: s.name, actions: s.actions.filter((a) => a === "pull") }));
  const iat = Math.floor(ctx.now().getTime() / 1000);
  const token = signJwt({ iss: "sim-ibm-cloud-registry", aud: site.domain, sub: identity.iamId, access, iat, exp: iat + REGISTRY_TOKEN_TTL_SECONDS }, registrySecret(ctx));
  ctx.counters.registryTokensIssued += 1;
  return json(200, { token, access_token: token, expires_in: REGISTRY_TOKEN_TTL_SECONDS, issued_at: new Date(iat * 1000).toISOString() });
}

function registryApi(req: SimRequest, ctx: SimContext, [domain, rest]: string[]): SimResponse {
  const site = findRegistryDomain(domain ?? "");
  if (!site) return json(404, registryError("NOT_FOUND", `unknown registry domain ${domain ?? ""}`));
  const repoMatch = /^(.+)\/(manifests|blobs|tags)\/.*$/.exec(rest ?? "");
  const scope = repoMatch?.[1] ? `repository:${repoMatch[1]}:pull` : undefined;
  const auth = header(req, "authorization");
  const bearer = auth ? /^Bearer\s+(.+)$/i.exec(auth)?.[1] : undefined;
  if (!bearer) return challenge(ctx, site.domain, scope);
  const check = verifyJwt(bearer, registrySecret(ctx), Math.floor(ctx.now().getTime() / 1000));
  if (!check.ok || check.claims.aud !== site.domain) return challenge(ctx, site.domain, scope);
  if (!repoMatch?.[1]) return json(200, {}, DISTRIBUTION_HEADER);
  const access = Array.isArray(check.claims.access) ? (check.claims.access as Array<{ name?: string; actions?: string[] }>) : [];
  if (!access.some((a) => a.name === repoMatch[1] && a.actions?.includes("pull"))) {
    return json(401, registryError("DENIED", "requested access to the resource is denied"), {
      ...DISTRIBUTION_HEADER,
      "WWW-Authenticate": `Bearer realm="${ctx.baseUrl()}/${site.domain}/oauth/token",service="registry",scope="${scope ?? ""}",error="insufficient_scope"`,
    });
  }
  return json(404, registryError("MANIFEST_UNKNOWN", "manifest unknown"), DISTRIBUTION_HEADER);
}

const DOMAIN = "((?:[a-z0-9-]+\\.)*(?:icr\\.io|bluemix\\.net))";

export const registryRoutes: Route[] = [
  { method: "GET", pattern: new RegExp(`^/${DOMAIN}/oauth/token$`), name: "GET /{domain}/oauth/token", handle: issueRegistryToken },
  { method: "POST", pattern: new RegExp(`^/${DOMAIN}/oauth/token$`), name: "POST /{domain}/oauth/token", handle: issueRegistryToken },
  { method: "GET", pattern: new RegExp(`^/${DOMAIN}/v2/(.*)$`), name: "GET /{domain}/v2/", handle: registryApi },
  { method: "HEAD", pattern: new RegExp(`^/${DOMAIN}/v2/(.*)$`), name: "HEAD /{domain}/v2/", handle: registryApi },
];
