import "server-only";
import IamIdentityV1 from "@ibm-cloud/platform-services/iam-identity/v1";
import IamPolicyManagementV1 from "@ibm-cloud/platform-services/iam-policy-management/v1";
import { IamAuthenticator } from "ibm-cloud-sdk-core";
import { hasMarker, withMarker } from "./conventions";
import { IamError, isIamError, mapSdkError, type IamErrorContext, type IamOperation } from "./errors";
import {
  buildRegistryPolicyBody,
  grantsAccountWide,
  isRegistryPolicy,
  isSameRegistryScope,
  normaliseRegion,
  policyRoles,
  REGISTRY_SERVICE,
  rolesCover,
  summariseRegistryPolicy,
  type PolicyLike,
  type RegistryScope,
} from "./policy-match";
import type {
  ApiKeyIdentity,
  ApiKeyLookup,
  ApiKeySummary,
  CreatedApiKey,
  EnsuredPolicy,
  IamIdentity,
  IamPort,
  PermissionPreflight,
  RegistryRole,
  ServiceIdSummary,
} from "./port";
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from "./retry";
import { identityFromAccessToken } from "./token-claims";

export const DEFAULT_IAM_URL = "https://iam.cloud.ibm.com";
export const DEFAULT_IAM_TIMEOUT_MS = 10_000;

/** A pino-compatible subset; lib/iam logs ids and names only, never key values. */
export interface IamLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface IamClientConfig {
  /** The API key Pullkeeper runs with (IBMCLOUD_API_KEY). Only ever sent to the token endpoint. */
  apiKey: string;
  /** Token endpoint base; `/identity/token` is appended. Default https://iam.cloud.ibm.com. */
  iamUrl?: string;
  /** IAM Identity API base; defaults to `iamUrl`. */
  identityUrl?: string;
  /** IAM Policy Management API base; defaults to `iamUrl`. */
  policyUrl?: string;
  /** Per HTTP request, token exchange included. Default 10 000 ms. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  logger?: IamLogger;
}

const NOOP_LOGGER: IamLogger = { debug: () => {}, info: () => {}, warn: () => {} };
const REGISTRY_ROLES: readonly RegistryRole[] = ["Reader", "Writer", "Manager"];

/** Reads the page token from a `next` link, which IAM sends as a URL string or as `{href, start}`. */
export function nextPageToken(next: unknown, param: "pagetoken" | "start"): string | undefined {
  if (next === undefined || next === null) return undefined;
  if (typeof next === "object") {
    const n = next as { href?: unknown; start?: unknown };
    if (param === "start" && typeof n.start === "string" && n.start !== "") return n.start;
    return typeof n.href === "string" ? nextPageToken(n.href, param) : undefined;
  }
  if (typeof next !== "string") return undefined;
  try {
    return new URL(next, "https://iam.invalid").searchParams.get(param) ?? undefined;
  } catch {
    return undefined;
  }
}

function serviceIdSummary(s: IamIdentityV1.ServiceId): ServiceIdSummary {
  return {
    id: s.id,
    iamId: s.iam_id,
    name: s.name,
    ...(s.description !== undefined ? { description: s.description } : {}),
    accountId: s.account_id,
    ...(s.created_at !== undefined ? { createdAt: s.created_at } : {}),
    managedByPullkeeper: hasMarker(s.description),
  };
}

function apiKeySummary(k: IamIdentityV1.ApiKey): ApiKeySummary {
  // Built field by field: the SDK model also has `apikey`, which must never be copied.
  return {
    id: k.id ?? "",
    name: k.name,
    ...(k.description !== undefined ? { description: k.description } : {}),
    iamId: k.iam_id,
    ...(k.created_at !== undefined ? { createdAt: k.created_at } : {}),
    ...(k.created_by !== undefined ? { createdBy: k.created_by } : {}),
    locked: k.locked ?? false,
    disabled: k.disabled ?? false,
    managedByPullkeeper: hasMarker(k.description),
  };
}

function byOldest<T extends { createdAt?: string }>(a: T, b: T): number {
  return (a.createdAt ?? "").localeCompare(b.createdAt ?? "");
}

/**
 * Builds the IAM adapter over IamIdentityV1 and IamPolicyManagementV1 with an
 * IamAuthenticator. Throws {@link IamError} `invalid` for an unusable config;
 * nothing is sent until the first call.
 */
/** IAM allows duplicate names: the oldest carrying Pullkeeper's marker wins, else the oldest. */
function pickServiceId(candidates: ServiceIdSummary[], name: string): ServiceIdSummary | null {
  const existing = candidates.filter((s) => s.name === name);
  return existing.filter((s) => s.managedByPullkeeper).sort(byOldest)[0] ?? existing.sort(byOldest)[0] ?? null;
}

export function createIamClient(config: IamClientConfig): IamPort {
  const apiKey = config.apiKey?.trim() ?? "";
  const iamUrl = (config.iamUrl ?? DEFAULT_IAM_URL).replace(/\/+$/, "");
  const identityUrl = (config.identityUrl ?? iamUrl).replace(/\/+$/, "");
  const policyUrl = (config.policyUrl ?? iamUrl).replace(/\/+$/, "");
  const timeoutMs = config.timeoutMs ?? DEFAULT_IAM_TIMEOUT_MS;
  const retryPolicy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...config.retry };
  const log = config.logger ?? NOOP_LOGGER;
  const secrets = [apiKey];

  if (apiKey === "") {
    throw new IamError({ kind: "invalid", operation: "authenticate", message: "No IBM Cloud API key is configured for Pullkeeper." });
  }
  let authenticator: IamAuthenticator;
  let identity: IamIdentityV1;
  let policies: IamPolicyManagementV1;
  try {
    authenticator = new IamAuthenticator({ apikey: apiKey, url: iamUrl, timeout: timeoutMs } as ConstructorParameters<typeof IamAuthenticator>[0]);
    identity = new IamIdentityV1({ authenticator, serviceUrl: identityUrl, timeout: timeoutMs } as ConstructorParameters<typeof IamIdentityV1>[0]);
    policies = new IamPolicyManagementV1({ authenticator, serviceUrl: policyUrl, timeout: timeoutMs } as ConstructorParameters<typeof IamPolicyManagementV1>[0]);
  } catch {
    // The SDK's own message can quote the offending option; ours never does.
    throw new IamError({
      kind: "invalid",
      operation: "authenticate",
      message: "The IBM Cloud API key or IAM endpoint configured for Pullkeeper is malformed (a key must not start or end with a brace or quote; endpoints must be URLs).",
    });
  }

  async function bearerToken(): Promise<string> {
    const request: { headers: Record<string, string> } = { headers: {} };
    try {
      await authenticator.authenticate(request);
    } catch (error) {
      throw mapSdkError(error, { operation: "authenticate", endpoint: iamUrl, timeoutMs, secrets });
    }
    return (request.headers.Authorization ?? "").replace(/^Bearer\s+/i, "");
  }

  async function call<T>(
    operation: IamOperation,
    endpoint: string,
    context: IamErrorContext,
    idempotent: boolean,
    run: () => Promise<{ result: T }>,
  ): Promise<T> {
    return withRetry(
      async () => {
        // Token problems surface as `authenticate` errors, not as a failure of the operation.
        await bearerToken();
        try {
          return (await run()).result;
        } catch (error) {
          throw mapSdkError(error, { operation, endpoint, timeoutMs, secrets, context });
        }
      },
      {
        idempotent,
        policy: retryPolicy,
        onRetry: (error, delayMs) => log.warn({ operation, kind: error.kind, status: error.status, delayMs }, "iam.retry"),
      },
    );
  }

  let cachedIdentity: IamIdentity | undefined;
  async function whoAmI(): Promise<IamIdentity> {
    if (cachedIdentity) return cachedIdentity;
    const token = await withRetry(bearerToken, { idempotent: true, policy: retryPolicy });
    const who = identityFromAccessToken(token);
    if (!who) {
      throw new IamError({ kind: "unavailable", operation: "authenticate", message: `The IAM token from ${iamUrl} carries no account or iam_id claim; check that the endpoint is IBM Cloud IAM.` });
    }
    cachedIdentity = who;
    return who;
  }

  async function accountOf(accountId: string | undefined): Promise<string> {
    return accountId ?? (await whoAmI()).accountId;
  }

  async function listServiceIds(accountId: string, name?: string): Promise<ServiceIdSummary[]> {
    const out: ServiceIdSummary[] = [];
    let pagetoken: string | undefined;
    do {
      const page = await call("list_service_ids", identityUrl, { accountId, ...(name ? { serviceIdName: name } : {}) }, true, () =>
        identity.listServiceIds({ accountId, ...(name ? { name } : {}), pagesize: 100, ...(pagetoken ? { pagetoken } : {}) }),
      );
      out.push(...(page.serviceids ?? []).map(serviceIdSummary));
      pagetoken = nextPageToken(page.next, "pagetoken");
    } while (pagetoken);
    return out;
  }

  async function listPoliciesFor(accountId: string, iamId: string): Promise<PolicyLike[]> {
    const out: PolicyLike[] = [];
    let start: string | undefined;
    do {
      const page = await call("list_policies", policyUrl, { accountId, serviceIamId: iamId }, true, () =>
        policies.listPolicies({ accountId, iamId, type: "access", limit: 100, ...(start ? { start } : {}) }),
      );
      out.push(...((page.policies ?? []) as PolicyLike[]));
      start = nextPageToken(page.next, "start");
    } while (start);
    return out.filter((p) => p.state === undefined || p.state === "active");
  }

  async function ensureOneScope(scope: RegistryScope, role: RegistryRole, description: string, existing: PolicyLike[]): Promise<EnsuredPolicy> {
    const context: IamErrorContext = { accountId: scope.accountId, serviceIamId: scope.serviceIamId, ...(scope.region ? { region: scope.region } : {}) };
    const settle = (match: PolicyLike): EnsuredPolicy => {
      const roles = policyRoles(match);
      if (rolesCover(roles, role)) return { policyId: match.id ?? "", region: scope.region, created: false, roles };
      throw new IamError({
        kind: "conflict",
        operation: "create_policy",
        status: 409,
        context: { ...context, ...(match.id ? { policyId: match.id } : {}) },
        message: `Access policy ${match.id ?? "(unknown id)"} already covers this scope of container-registry for service ID ${scope.serviceIamId} but grants only ${roles.join(", ") || "no roles"}, not ${role}. Pullkeeper does not change existing policies: add the ${role} role to that policy, or delete it, then retry.`,
      });
    };
    const match = existing.find((p) => isSameRegistryScope(p, scope));
    if (match) return settle(match);
    try {
      const created = (await call("create_policy", policyUrl, context, false, () =>
        policies.createPolicy(buildRegistryPolicyBody(scope, role, description)),
      )) as PolicyLike;
      log.info({ policyId: created.id, serviceIamId: scope.serviceIamId, region: scope.region, registryNamespace: scope.registryNamespace, role }, "iam.policy.created");
      return { policyId: created.id ?? "", region: scope.region, created: true, roles: policyRoles(created) };
    } catch (error) {
      // A 409 means an identical-scope policy appeared since we listed (or our list missed it): re-read and judge it.
      if (!isIamError(error) || error.kind !== "conflict") throw error;
      const again = (await listPoliciesFor(scope.accountId, scope.serviceIamId)).find((p) => isSameRegistryScope(p, scope));
      if (!again) throw error;
      return settle(again);
    }
  }

  return {
    whoAmI,

    async canManageServiceIds(): Promise<PermissionPreflight> {
      const me = await whoAmI();
      const notes: string[] = [];
      let own: PolicyLike[] = [];
      try {
        own = await listPoliciesFor(me.accountId, me.iamId);
      } catch (error) {
        if (!isIamError(error) || error.kind !== "forbidden") throw error;
        notes.push("Pullkeeper's identity may not list its own access policies, so nothing could be checked in advance.");
      }
      const grants = (serviceName: string, roles: string[]) =>
        grantsAccountWide(own, { iamId: me.iamId, accountId: me.accountId, serviceName, roles }) ? ("granted" as const) : ("unknown" as const);
      const result: PermissionPreflight = {
        identity: me,
        createServiceIds: grants("iam-identity", ["Operator", "Editor", "Administrator", "ServiceIdCreator"]),
        createApiKeys: grants("iam-identity", ["Operator", "Editor", "Administrator"]),
        assignRegistryAccess: grants(REGISTRY_SERVICE, ["Administrator"]),
        notes,
      };
      if ([result.createServiceIds, result.createApiKeys, result.assignRegistryAccess].includes("unknown")) {
        notes.push(
          "IAM has no API to test a permission without using it; access through access groups or account ownership is not visible here. Anything marked unknown is decided by the first write.",
        );
      }
      return result;
    },

    async findServiceId(name, accountId) {
      return pickServiceId(await listServiceIds(await accountOf(accountId), name.trim()), name.trim());
    },

    async findOrCreateServiceId(input) {
      const accountId = await accountOf(input.accountId);
      const name = input.name.trim();
      if (name === "") throw new IamError({ kind: "invalid", operation: "create_service_id", message: "A service ID needs a name.", context: { accountId } });
      const pick = pickServiceId(await listServiceIds(accountId, name), name);
      if (pick) {
        log.debug({ serviceId: pick.id, name }, "iam.service_id.found");
        return { serviceId: pick, created: false };
      }
      const created = await call("create_service_id", identityUrl, { accountId, serviceIdName: name }, false, () =>
        identity.createServiceId({ accountId, name, description: withMarker(input.description) }),
      );
      log.info({ serviceId: created.id, name, accountId }, "iam.service_id.created");
      return { serviceId: serviceIdSummary(created), created: true };
    },

    async ensureRegistryPolicy(input) {
      if (!REGISTRY_ROLES.includes(input.role)) {
        throw new IamError({ kind: "invalid", operation: "create_policy", message: `Role ${String(input.role)} is not a Container Registry service role; use Reader, Writer or Manager.` });
      }
      const accountId = await accountOf(input.accountId);
      const regions = [...new Set((input.regions ?? []).map(normaliseRegion).filter((r) => r !== ""))];
      const namespace = input.registryNamespace?.trim() || null;
      const description = withMarker(
        input.description ?? `${input.role} access to IBM Cloud Container Registry${namespace ? ` namespace ${namespace}` : ""}`,
      );
      const existing = await listPoliciesFor(accountId, input.serviceIamId);
      const scopes: RegistryScope[] = (regions.length > 0 ? regions : [null]).map((region) => ({
        accountId,
        serviceIamId: input.serviceIamId,
        region,
        registryNamespace: namespace,
      }));
      const ensured: EnsuredPolicy[] = [];
      for (const scope of scopes) {
        const one = await ensureOneScope(scope, input.role, description, existing);
        if (!one.created) log.debug({ policyId: one.policyId, serviceIamId: input.serviceIamId, region: one.region }, "iam.policy.exists");
        ensured.push(one);
      }
      const first = ensured[0] as EnsuredPolicy;
      return { policyId: first.policyId, created: ensured.some((p) => p.created), policies: ensured };
    },

    async listRegistryPolicies(serviceIamId, accountId) {
      const account = await accountOf(accountId);
      return (await listPoliciesFor(account, serviceIamId)).filter(isRegistryPolicy).map(summariseRegistryPolicy);
    },

    async createApiKey(input): Promise<CreatedApiKey> {
      const accountId = await accountOf(input.accountId);
      const context = { accountId, serviceIamId: input.serviceIamId };
      const created = await call("create_api_key", identityUrl, context, false, () =>
        identity.createApiKey({ name: input.name, iamId: input.serviceIamId, accountId, description: withMarker(input.description), storeValue: false }),
      );
      if (typeof created.apikey !== "string" || created.apikey === "" || !created.id) {
        throw new IamError({ kind: "unavailable", operation: "create_api_key", context, message: `IAM created API key ${created.id ?? "(no id)"} but returned no key value; delete it and retry.` });
      }
      log.info({ apiKeyId: created.id, name: created.name, serviceIamId: input.serviceIamId }, "iam.api_key.created");
      return { id: created.id, name: created.name, iamId: created.iam_id, apiKey: created.apikey };
    },

    async identifyApiKey(value) {
      let key: IamIdentityV1.ApiKey;
      try {
        key = await withRetry(
          async () => {
            await bearerToken();
            try {
              return (await identity.getApiKeysDetails({ iamApiKey: value })).result;
            } catch (error) {
              throw mapSdkError(error, { operation: "get_api_key_details", endpoint: identityUrl, timeoutMs, secrets: [...secrets, value] });
            }
          },
          { idempotent: true, policy: retryPolicy },
        );
      } catch (error) {
        if (isIamError(error) && error.kind === "not_found") return { status: "unknown" };
        if (isIamError(error) && error.kind === "forbidden") return { status: "not_visible" };
        throw error;
      }
      return { status: "found", identity: await apiKeyIdentity(key) } satisfies ApiKeyLookup;
    },

    async listApiKeys(serviceIamId, accountId) {
      const account = await accountOf(accountId);
      const out: ApiKeySummary[] = [];
      let pagetoken: string | undefined;
      do {
        const page = await call("list_api_keys", identityUrl, { accountId: account, serviceIamId }, true, () =>
          identity.listApiKeys({ accountId: account, iamId: serviceIamId, pagesize: 100, ...(pagetoken ? { pagetoken } : {}) }),
        );
        out.push(...(page.apikeys ?? []).map(apiKeySummary));
        pagetoken = nextPageToken(page.next, "pagetoken");
      } while (pagetoken);
      return out;
    },

    async listServiceIdsCreatedByPullkeeper(accountId) {
      return (await listServiceIds(await accountOf(accountId))).filter((s) => s.managedByPullkeeper);
    },

    async deleteApiKey(id) {
      await deleteIgnoringMissing("delete_api_key", identityUrl, { apiKeyId: id }, () => identity.deleteApiKey({ id }));
      log.info({ apiKeyId: id }, "iam.api_key.deleted");
    },

    async deleteServiceId(id) {
      await deleteIgnoringMissing("delete_service_id", identityUrl, { serviceId: id }, () => identity.deleteServiceId({ id }));
      log.info({ serviceId: id }, "iam.service_id.deleted");
    },

    async deletePolicy(id) {
      await deleteIgnoringMissing("delete_policy", policyUrl, { policyId: id }, () => policies.deletePolicy({ policyId: id }));
      log.info({ policyId: id }, "iam.policy.deleted");
    },
  };

  /** The key's details, with the owning service ID's name when the configured key may read it. */
  async function apiKeyIdentity(key: IamIdentityV1.ApiKey): Promise<ApiKeyIdentity> {
    const base = {
      keyId: key.id,
      keyName: key.name,
      iamId: key.iam_id,
      accountId: key.account_id,
      ...(key.created_at ? { createdAt: key.created_at } : {}),
      locked: key.locked === true,
      disabled: key.disabled === true,
    };
    if (key.iam_id.startsWith("IBMid-")) return { ...base, owner: { kind: "user" } };
    if (!key.iam_id.startsWith("iam-ServiceId-")) return { ...base, owner: { kind: "other" } };
    const serviceId = key.iam_id.slice("iam-".length);
    try {
      const found = await call("get_service_id", identityUrl, { serviceId }, true, () => identity.getServiceId({ id: serviceId }));
      return { ...base, owner: { kind: "service_id", serviceId, name: found.name } };
    } catch (error) {
      // The owner is still known by id when its name is not readable (or it was deleted meanwhile).
      if (isIamError(error) && (error.kind === "forbidden" || error.kind === "not_found")) return { ...base, owner: { kind: "service_id", serviceId } };
      throw error;
    }
  }

  /** Deletes are for rollback, where "already gone" is the goal reached, not a failure. */
  async function deleteIgnoringMissing(operation: IamOperation, endpoint: string, context: IamErrorContext, run: () => Promise<{ result: unknown }>) {
    try {
      await call(operation, endpoint, context, true, run);
    } catch (error) {
      if (isIamError(error) && error.kind === "not_found") return;
      throw error;
    }
  }
}
