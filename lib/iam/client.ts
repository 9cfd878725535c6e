import "server-only";
import IamIdentityV1 from "@ibm-cloud/platform-services/iam-identity/v1";
import IamPolicyManagementV1 from "@ibm-cloud/platform-services/iam-policy-management/v1";
import { IamAuthenticator } from "ibm-cloud-sdk-core";
import { hasMarker, withMarker } from "./conventions";
import { IamError, isIamError, mapSdkError, type IamErrorContext, type IamOperation } from "./errors";
import type {
  ApiKeyIdentity,
  ApiKeyLookup,
  ApiKeySummary,
  CreatedApiKey,
  IamIdentity,
  IamPort,
  ServiceIdSummary,
} from "./port";
import { describeApiKey } from "./api-key-identity";
import { createPolicyOperations } from "./policy-operations";
import { nextPageToken, type IamLogger } from "./sdk-call";
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from "./retry";
import { identityFromAccessToken } from "./token-claims";

export { nextPageToken, type IamLogger } from "./sdk-call";

export const DEFAULT_IAM_URL = "https://iam.cloud.ibm.com";
export const DEFAULT_IAM_TIMEOUT_MS = 10_000;

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

  const policyOps = createPolicyOperations({ call, policies, policyUrl, log, whoAmI, accountOf });

  return {
    whoAmI,
    ...policyOps,

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
  function apiKeyIdentity(key: IamIdentityV1.ApiKey): Promise<ApiKeyIdentity> {
    return describeApiKey(key, async (serviceId) => (await call("get_service_id", identityUrl, { serviceId }, true, () => identity.getServiceId({ id: serviceId }))).name);
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
