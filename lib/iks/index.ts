export { createKubernetesServiceClient, type KubernetesServiceClientOptions } from "./client";
export { createIamTokenKeeper, type IamTokenKeeper, type IamTokenKeeperOptions, type TokenKeeperState, type TokenKeeperStatus } from "./token-keeper";
export { IksError, isIksError, type IksErrorKind, type IksOperation } from "./errors";
export type * from "./port";
