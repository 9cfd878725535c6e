import "server-only";
import { auditStore } from "@/lib/audit";
import { env } from "@/lib/env";
import { recordVerification } from "@/lib/queries";
import { runnerId } from "@/lib/runner-id";
import type { WorkflowDeps } from "@/lib/workflows";
import { inClusterOptions, kubeconfigFiles } from "./kube-sources";
import { createPorts, workflowDeps, type Ports, type PortsConfig } from "./ports";

/** The process's view of the outside world, built once from the typed environment. */
export function portsConfigFromEnv(): PortsConfig {
  const settings = env();
  const kubeconfigPaths = kubeconfigFiles(settings);
  const inCluster = inClusterOptions(settings);
  return {
    ...(kubeconfigPaths.length || inCluster ? { kubeconfigPaths } : {}),
    ...(inCluster ? { inCluster } : {}),
    kubeRequestTimeoutMs: settings.PULLKEEPER_KUBE_TIMEOUT_MS,
    kubeConcurrency: settings.PULLKEEPER_KUBE_CONCURRENCY,
    iam: settings.IBMCLOUD_API_KEY
      ? {
          apiKey: settings.IBMCLOUD_API_KEY,
          ...(settings.IBMCLOUD_IAM_URL ? { iamUrl: settings.IBMCLOUD_IAM_URL } : {}),
          ...(settings.IBMCLOUD_IAM_IDENTITY_URL ? { identityUrl: settings.IBMCLOUD_IAM_IDENTITY_URL } : {}),
          ...(settings.IBMCLOUD_IAM_POLICY_URL ? { policyUrl: settings.IBMCLOUD_IAM_POLICY_URL } : {}),
        }
      : null,
    ...(settings.REGISTRY_ENDPOINT_TEMPLATE ? { registryEndpointTemplate: settings.REGISTRY_ENDPOINT_TEMPLATE } : {}),
    registryAllowedHosts: settings.PULLKEEPER_REGISTRY_ALLOWED_HOSTS,
    workflowConcurrency: settings.PULLKEEPER_KUBE_CONCURRENCY,
  };
}

const holder = globalThis as unknown as { pullkeeperPorts?: Ports };

/** Kubernetes gateway, IAM client and registry verifier for this process (kept across dev reloads). */
export function ports(): Ports {
  holder.pullkeeperPorts ??= createPorts({ ...portsConfigFromEnv(), onVerified: recordVerification });
  return holder.pullkeeperPorts;
}

export async function serverWorkflowDeps(): Promise<WorkflowDeps> {
  const config = portsConfigFromEnv();
  return workflowDeps(ports(), await auditStore(), runnerId, config.workflowConcurrency ?? 8);
}
