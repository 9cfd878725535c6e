export { computeClusterCoverage, clusterDomains } from "./compute";
export { CURRENT_CREDENTIAL_KINDS, isLegacySecret } from "./grading";
export type * from "./types";
export { verdictKey } from "./health";
export { COUNTED_STATES, countedState, isRedCell } from "./summary";
