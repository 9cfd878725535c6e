export { computeClusterCoverage, clusterDomains } from "./compute";
export { CURRENT_CREDENTIAL_KINDS, isLegacySecret } from "./grading";
export type * from "./types";
