/**
 * Simulated Kubernetes API server (one HTTPS server per cluster). Started by
 * scripts and tests only; product code reaches it over HTTP like a real cluster.
 */
export type {
  KubeSim,
  KubeSimFaults,
  KubeSimOptions,
  KubeSimRequestRecord,
  KubeSimRule,
  KubeSimServerVersion,
  KubeSimStats,
  KubeSimUser,
  KubeletOptions,
  KubeletPullCheck,
} from "./types";
export { startKubeSim } from "./server";
export { fleetKubeconfig } from "./kubeconfig";
export { defaultUsers } from "./rbac";
