import "server-only";
import { defaultKubeconfigPath } from "@/lib/kube/kubeconfig";
import type { IamStatus, SettingsOverview } from "@/lib/api/settings";
import { DEFAULT_VERIFY_TIMEOUT_MS } from "@/lib/registry-check/port";
import { ports, portsConfigFromEnv } from "@/lib/server/context";
import { FAILED_SCAN_MAX_AGE_MS, SCAN_MAX_AGE_MS } from "./cluster-scan";

/** Where clusters come from: the kubeconfig files read (or in-cluster config) and the problems found reading them. */
export function kubeconfigSources(): SettingsOverview["kubeconfig"] {
  const config = portsConfigFromEnv();
  const kube = ports().kube;
  return {
    paths: config.kubeconfigPaths ?? (config.inCluster ? [] : [defaultKubeconfigPath()]),
    fromEnv: Boolean(config.kubeconfigPaths?.length),
    inCluster: Boolean(config.inCluster),
    problems: kube.configProblems(),
  };
}

export async function settingsOverview(): Promise<SettingsOverview> {
  const config = portsConfigFromEnv();
  const p = ports();
  let iam: IamStatus = { configured: false };
  if (p.iam) {
    try {
      const who = await p.iam.whoAmI();
      iam = { configured: true, ok: true, accountId: who.accountId, iamId: who.iamId, kind: who.kind, name: who.name ?? null, email: who.email ?? null };
    } catch (error) {
      iam = { configured: true, ok: false, error: error instanceof Error ? error.message : "IBM Cloud IAM did not answer." };
    }
  }
  return {
    kubeconfig: kubeconfigSources(),
    clusters: p.kube.listClusters(),
    iam,
    limits: {
      kubeRequestTimeoutMs: config.kubeRequestTimeoutMs ?? 15_000,
      kubeConcurrency: config.kubeConcurrency ?? 16,
      workflowConcurrency: config.workflowConcurrency ?? 8,
      verifyTimeoutMs: config.verifyTimeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS,
      registryEndpointTemplate: config.registryEndpointTemplate ?? null,
      scanMaxAgeMs: SCAN_MAX_AGE_MS,
      failedScanMaxAgeMs: FAILED_SCAN_MAX_AGE_MS,
    },
  };
}
