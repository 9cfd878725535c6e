import type { ClusterInfo } from "@/lib/kube/port";

export type IamStatus =
  | { configured: false }
  | { configured: true; ok: true; accountId: string; iamId: string; kind: string; name: string | null; email: string | null }
  | { configured: true; ok: false; error: string };

/** What the settings page shows. Built field by field: the IBM Cloud API key and kubeconfig credentials never enter it. */
export interface SettingsOverview {
  kubeconfig: { paths: string[]; fromEnv: boolean; inCluster: boolean; problems: string[] };
  clusters: ClusterInfo[];
  iam: IamStatus;
  limits: {
    kubeRequestTimeoutMs: number;
    kubeConcurrency: number;
    workflowConcurrency: number;
    verifyTimeoutMs: number;
    registryEndpointTemplate: string | null;
    scanMaxAgeMs: number;
    failedScanMaxAgeMs: number;
  };
}
