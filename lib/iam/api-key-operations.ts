import "server-only";
import type IamIdentityV1 from "@ibm-cloud/platform-services/iam-identity/v1";
import { describeApiKey } from "./api-key-identity";
import { hasMarker, withMarker } from "./conventions";
import { IamError, isIamError } from "./errors";
import type { IamSession } from "./iam-session";
import type { ApiKeyLookup, ApiKeySummary, CreatedApiKey, IamPort } from "./port";
import { deleteIgnoringMissing, nextPageToken } from "./sdk-call";

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

type ApiKeyOperations = Pick<IamPort, "createApiKey" | "identifyApiKey" | "listApiKeys" | "deleteApiKey" | "setApiKeyLocked">;

/** API keys over IAM Identity: minted once (the value returned, never stored), identified by value, listed, deleted. */
export function createApiKeyOperations({ identity, identityUrl, log, call, callWithCredential, accountOf }: IamSession): ApiKeyOperations {
  return {
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
        key = await callWithCredential("get_api_key_details", identityUrl, value, () => identity.getApiKeysDetails({ iamApiKey: value }));
      } catch (error) {
        if (isIamError(error) && error.kind === "not_found") return { status: "unknown" };
        if (isIamError(error) && error.kind === "forbidden") return { status: "not_visible" };
        throw error;
      }
      // The owning service ID's name, when the configured key may read it.
      const ownerName = async (serviceId: string) => (await call("get_service_id", identityUrl, { serviceId }, true, () => identity.getServiceId({ id: serviceId }))).name;
      return { status: "found", identity: await describeApiKey(key, ownerName) } satisfies ApiKeyLookup;
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

    async deleteApiKey(id) {
      await deleteIgnoringMissing(call, "delete_api_key", identityUrl, { apiKeyId: id }, () => identity.deleteApiKey({ id }));
      log.info({ apiKeyId: id }, "iam.api_key.deleted");
    },

    async setApiKeyLocked(id, locked) {
      // Repeating either call leaves the same state: safe to retry after a server error.
      await call(locked ? "lock_api_key" : "unlock_api_key", identityUrl, { apiKeyId: id }, true, () => (locked ? identity.lockApiKey({ id }) : identity.unlockApiKey({ id })));
      log.info({ apiKeyId: id, locked }, locked ? "iam.api_key.locked" : "iam.api_key.unlocked");
    },
  };
}
