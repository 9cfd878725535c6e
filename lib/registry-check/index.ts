import "server-only";

export { createVerificationCache, type CachedVerification, type VerificationCache, type VerificationCacheOptions } from "./cache";
export { registryBaseUrlResolver } from "./endpoint";
export * from "./port";
export { verifyRegistryCredential } from "./verify";
