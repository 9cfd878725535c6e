import type IamIdentityV1 from "@ibm-cloud/platform-services/iam-identity/v1";
import { isIamError } from "./errors";
import type { ApiKeyIdentity } from "./port";

/**
 * An API key's details as the port shows them: ids, names and flags, never the
 * value. The owning service ID's name is read with `readServiceIdName`; when the
 * configured key may not read it (or it was deleted meanwhile), the owner is
 * still known by id.
 */
export async function describeApiKey(key: IamIdentityV1.ApiKey, readServiceIdName: (serviceId: string) => Promise<string>): Promise<ApiKeyIdentity> {
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
    return { ...base, owner: { kind: "service_id", serviceId, name: await readServiceIdName(serviceId) } };
  } catch (error) {
    if (isIamError(error) && (error.kind === "forbidden" || error.kind === "not_found")) return { ...base, owner: { kind: "service_id", serviceId } };
    throw error;
  }
}
