import "server-only";
import type { AuditStore } from "@/lib/audit/port";
import { env } from "@/lib/env";
import { createIamClient } from "@/lib/iam";
import type { IamPort } from "@/lib/iam/port";
import { createKubeGateway, type KubeGatewayExtras } from "@/lib/kube";
import type { InClusterOptions, KubeGateway, KubeRequestEvent } from "@/lib/kube/port";
import { logger } from "@/lib/log";
import { createOutboundPolicy, type AllowEntry } from "@/lib/net/outbound";
import type { KeyIdentity } from "@/lib/api/key-identity";
import { createKeyIdentifier } from "@/lib/queries/key-identification";
import { credentialKindOf } from "@/lib/registry/docker-config";
import { credentialFingerprint } from "@/lib/registry/fingerprint";
import { registryBaseUrlResolver, verifyRegistryCredential, type RegistryVerification } from "@/lib/registry-check";
import { REGISTRY_ALLOWED_HOSTS_SETTING, registryEndpointRefusal } from "@/lib/registry-check/outbound";
import type { RegistryVerifier, WorkflowDeps } from "@/lib/workflows";
import { inClusterOptions, kubeconfigFiles } from "./kube-sources";

/** Everything needed to reach the outside world, whether real services or the simulators. */
export interface PortsConfig {
  kubeconfigPaths?: string[];
  /** The kubeconfig files as they are now (a mounted directory gains files); with it, the files are watched and re-read on change. */
  currentKubeconfigPaths?: () => string[];
  inCluster?: InClusterOptions;
  kubeRequestTimeoutMs?: number;
  kubeConcurrency?: number;
  /** Null: IBM Cloud is not configured, IAM steps are refused with that reason. */
  iam: { apiKey: string; iamUrl?: string; identityUrl?: string; policyUrl?: string } | null;
  registryEndpointTemplate?: string;
  /** Non-public registry addresses an administrator allowed (PULLKEEPER_REGISTRY_ALLOWED_HOSTS); default none. */
  registryAllowedHosts?: readonly AllowEntry[];
  verifyTimeoutMs?: number;
  /** Concurrent workflow steps within a stage. */
  workflowConcurrency?: number;
  /**
   * Told of every registry check, so read models can show "verified 3m ago" (no password is passed on).
   * Awaited before the check returns, so a saved result is durable when the user sees it; a failure
   * is logged and does not fail the check.
   */
  onVerified?: (verification: RegistryVerification) => void | Promise<void>;
  /**
   * Told who owns each IAM API key a registry check exercised (IAM's details
   * lookup, at most once a minute per credential); no key is passed on.
   */
  onKeyIdentified?: (identity: KeyIdentity) => Promise<void>;
  /** Told of every Kubernetes API request attempt (metrics). */
  onKubeRequest?: (event: KubeRequestEvent) => void;
}

/** The process's view of the outside world, built once from the typed environment. */
export function portsConfigFromEnv(): PortsConfig {
  const settings = env();
  const kubeconfigPaths = kubeconfigFiles(settings);
  const inCluster = inClusterOptions(settings);
  return {
    ...(kubeconfigPaths.length || inCluster ? { kubeconfigPaths } : {}),
    ...(settings.KUBECONFIG || settings.PULLKEEPER_KUBECONFIG_DIR ? { currentKubeconfigPaths: () => kubeconfigFiles(settings) } : {}),
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

export interface Ports {
  kube: KubeGateway & KubeGatewayExtras;
  iam: IamPort | null;
  verifyRegistry: RegistryVerifier;
  /** Why a registry domain's endpoint may not be contacted (the outbound policy), or undefined. */
  registryRefusal: (domain: string) => Promise<string | undefined>;
  close(): void;
}

export function createPorts(config: PortsConfig): Ports {
  const kube = createKubeGateway({
    ...(config.kubeconfigPaths ? { kubeconfigPaths: config.kubeconfigPaths } : {}),
    ...(config.currentKubeconfigPaths ? { kubeconfigPaths: config.currentKubeconfigPaths, watchKubeconfigs: {} } : {}),
    ...(config.inCluster ? { inCluster: config.inCluster } : {}),
    requestTimeoutMs: config.kubeRequestTimeoutMs ?? 15_000,
    concurrency: config.kubeConcurrency ?? 16,
    ...(config.onKubeRequest ? { onRequest: config.onKubeRequest } : {}),
  });
  const iam = config.iam ? createIamClient(config.iam) : null;
  const resolveBaseUrl = registryBaseUrlResolver(config.registryEndpointTemplate);
  const outbound = createOutboundPolicy(config.registryAllowedHosts ?? [], REGISTRY_ALLOWED_HOSTS_SETTING);
  const keys =
    iam && config.onKeyIdentified
      ? createKeyIdentifier({
          iam,
          save: config.onKeyIdentified,
          onSaveError: (error, identity) =>
            logger.error({ fingerprint: identity.fingerprint, error: error instanceof Error ? error.message : String(error) }, "API key owner could not be saved"),
        })
      : null;
  const verifyRegistry: RegistryVerifier = async (input) => {
    // The owner lookup runs beside the registry check: both answer about the same credential.
    const identified = keys && credentialKindOf(input.username) === "iam-api-key" ? keys.identify(credentialFingerprint(input.username, input.password), input.password) : null;
    const verification = await verifyRegistryCredential({ ...input, resolveBaseUrl, outbound, timeoutMs: config.verifyTimeoutMs ?? 10_000 });
    await Promise.all([notifyVerified(verification), identified]);
    return verification;
  };
  async function notifyVerified(verification: RegistryVerification): Promise<void> {
    try {
      await config.onVerified?.(verification);
    } catch (error) {
      logger.error(
        { registry: verification.domain, username: verification.username, fingerprint: verification.fingerprint, error: error instanceof Error ? error.message : String(error) },
        "registry verification result could not be saved; other replicas and a restarted server will not show it",
      );
    }
  }
  const registryRefusal = (domain: string) => registryEndpointRefusal(resolveBaseUrl(domain), outbound);
  return { kube, iam, verifyRegistry, registryRefusal, close: () => kube.close() };
}

/** `extras`: the process's run observer (metrics) and previewed plans (so apply runs what was previewed), both held by the composition root. */
export function workflowDeps(ports: Ports, audit: AuditStore, concurrency = 8, extras: Pick<WorkflowDeps, "observer" | "previews" | "runs" | "runQueue"> = {}): WorkflowDeps {
  return { kube: ports.kube, iam: ports.iam, verifyRegistry: ports.verifyRegistry, registryRefusal: ports.registryRefusal, audit, concurrency, ...extras };
}
