export type * from "./port";
export { createIamClient, DEFAULT_IAM_URL, DEFAULT_IAM_TIMEOUT_MS, type IamClientConfig, type IamLogger } from "./client";
export { IamError, REQUIRED_PERMISSION, type IamErrorKind, type IamOperation, type IamErrorContext } from "./errors";
export {
  PULLKEEPER_MARKER,
  withMarker,
  hasMarker,
  serviceIdNameFor,
  serviceIdDescriptionFor,
  apiKeyNameFor,
  apiKeyDescriptionFor,
} from "./conventions";
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry";
