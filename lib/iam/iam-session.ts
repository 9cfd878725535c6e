import "server-only";
import IamIdentityV1 from "@ibm-cloud/platform-services/iam-identity/v1";
import IamPolicyManagementV1 from "@ibm-cloud/platform-services/iam-policy-management/v1";
import { IamAuthenticator } from "ibm-cloud-sdk-core";
import { IamError, mapSdkError, type IamOperation } from "./errors";
import type { IamIdentity } from "./port";
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from "./retry";
import type { IamCall, IamLogger } from "./sdk-call";
import { identityFromAccessToken } from "./token-claims";

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

/** The SDK clients over one authenticator, and the settings they were built with. */
function openSdkClients(config: IamClientConfig) {
  const apiKey = config.apiKey?.trim() ?? "";
  const iamUrl = (config.iamUrl ?? DEFAULT_IAM_URL).replace(/\/+$/, "");
  const identityUrl = (config.identityUrl ?? iamUrl).replace(/\/+$/, "");
  const policyUrl = (config.policyUrl ?? iamUrl).replace(/\/+$/, "");
  const timeoutMs = config.timeoutMs ?? DEFAULT_IAM_TIMEOUT_MS;
  if (apiKey === "") {
    throw new IamError({ kind: "invalid", operation: "authenticate", message: "No IBM Cloud API key is configured for Pullkeeper." });
  }
  try {
    const authenticator = new IamAuthenticator({ apikey: apiKey, url: iamUrl, timeout: timeoutMs } as ConstructorParameters<typeof IamAuthenticator>[0]);
    const identity = new IamIdentityV1({ authenticator, serviceUrl: identityUrl, timeout: timeoutMs } as ConstructorParameters<typeof IamIdentityV1>[0]);
    const policies = new IamPolicyManagementV1({ authenticator, serviceUrl: policyUrl, timeout: timeoutMs } as ConstructorParameters<typeof IamPolicyManagementV1>[0]);
    return { apiKey, iamUrl, identityUrl, policyUrl, timeoutMs, authenticator, identity, policies };
  } catch {
    // The SDK's own message can quote the offending option; ours never does.
    throw new IamError({
      kind: "invalid",
      operation: "authenticate",
      message: "The IBM Cloud API key or IAM endpoint configured for Pullkeeper is malformed (a key must not start or end with a brace or quote; endpoints must be URLs).",
    });
  }
}

/** What every part of the IAM client shares: the SDK clients, the request wrapper and who the configured key is. */
export interface IamSession {
  identity: IamIdentityV1;
  policies: IamPolicyManagementV1;
  identityUrl: string;
  policyUrl: string;
  log: IamLogger;
  call: IamCall;
  /** A read that sends a credential other than Pullkeeper's own (an API key being identified), scrubbed from its errors too. */
  callWithCredential<T>(operation: IamOperation, endpoint: string, credential: string, run: () => Promise<{ result: T }>): Promise<T>;
  whoAmI(): Promise<IamIdentity>;
  accountOf(accountId: string | undefined): Promise<string>;
}

/**
 * Opens the SDK clients with an IamAuthenticator. Throws {@link IamError}
 * `invalid` for an unusable config; nothing is sent until the first call.
 */
export function createIamSession(config: IamClientConfig): IamSession {
  const { apiKey, iamUrl, identityUrl, policyUrl, timeoutMs, authenticator, identity, policies } = openSdkClients(config);
  const retryPolicy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...config.retry };
  const log = config.logger ?? NOOP_LOGGER;
  const secrets = [apiKey];

  async function bearerToken(): Promise<string> {
    const request: { headers: Record<string, string> } = { headers: {} };
    try {
      await authenticator.authenticate(request);
    } catch (error) {
      throw mapSdkError(error, { operation: "authenticate", endpoint: iamUrl, timeoutMs, secrets });
    }
    return (request.headers.Authorization ?? "").replace(/^Bearer\s+/i, "");
  }

  const call: IamCall = (operation, endpoint, context, idempotent, run) =>
    withRetry(
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

  const callWithCredential: IamSession["callWithCredential"] = (operation, endpoint, credential, run) =>
    withRetry(
      async () => {
        await bearerToken();
        try {
          return (await run()).result;
        } catch (error) {
          throw mapSdkError(error, { operation, endpoint, timeoutMs, secrets: [...secrets, credential] });
        }
      },
      { idempotent: true, policy: retryPolicy },
    );

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

  const accountOf = async (accountId: string | undefined) => accountId ?? (await whoAmI()).accountId;

  return { identity, policies, identityUrl, policyUrl, log, call, callWithCredential, whoAmI, accountOf };
}
