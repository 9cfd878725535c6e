import "server-only";

export { registryBaseUrlResolver } from "./endpoint";
export * from "./port";
export { verifyRegistryCredential } from "./verify";
