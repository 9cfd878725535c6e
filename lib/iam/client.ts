import "server-only";
import { createApiKeyOperations } from "./api-key-operations";
import { createIamSession, type IamClientConfig } from "./iam-session";
import { createPolicyOperations } from "./policy-operations";
import type { IamPort } from "./port";
import { createServiceIdOperations } from "./service-id-operations";

export { DEFAULT_IAM_TIMEOUT_MS, DEFAULT_IAM_URL, type IamClientConfig } from "./iam-session";
export type { IamLogger } from "./sdk-call";

/**
 * Builds the IAM adapter over IamIdentityV1 and IamPolicyManagementV1 with an
 * IamAuthenticator. Throws {@link IamError} `invalid` for an unusable config;
 * nothing is sent until the first call.
 */
export function createIamClient(config: IamClientConfig): IamPort {
  const session = createIamSession(config);
  return {
    whoAmI: session.whoAmI,
    ...createServiceIdOperations(session),
    ...createApiKeyOperations(session),
    ...createPolicyOperations(session),
  };
}
