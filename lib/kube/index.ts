export { createKubeGateway, type KubeGatewayExtras } from "./gateway";
export type { ClusterSetChange } from "./cluster-set";
export { KubeError, isKubeError, type KubeErrorKind } from "./errors";
export type * from "./port";
export { inspectImportedKubeconfig, type ImportedKubeconfig } from "./imported-kubeconfig";
