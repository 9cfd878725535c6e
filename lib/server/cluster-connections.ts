import "server-only";
import type { AccountPorts } from "@/lib/clusters/accounts";
import { createClusterConnections, type ClusterConnections } from "@/lib/clusters/connections";
import type { ClusterStore } from "@/lib/clusters/store";
import { env } from "@/lib/env";
import { createIamClient, DEFAULT_IAM_URL } from "@/lib/iam";
import { createIamTokenKeeper, createKubernetesServiceClient } from "@/lib/iks";
import { logger } from "@/lib/log";
import type { Ports } from "./ports";

const DEFAULT_CONTAINERS_URL = "https://containers.cloud.ibm.com/global";
const DEFAULT_TAGGING_URL = "https://tags.global-search-tagging.cloud.ibm.com";
/** How often a replica re-reads the stored clusters, so a change made on another replica reaches it. */
const RESYNC_MS = 30_000;

/**
 * The process's cluster connections: the stored clusters joined to the one gateway, one IAM token
 * keeper per account, re-read every 30 s and after every admin change.
 */
export async function openClusterConnections(store: ClusterStore, ports: Ports): Promise<ClusterConnections> {
  const settings = env();
  const connections = createClusterConnections({
    store,
    gateway: ports.kube,
    createKeeper: (apiKey, onChange) => createIamTokenKeeper({ iamUrl: settings.IBMCLOUD_IAM_URL ?? DEFAULT_IAM_URL, apiKey, onChange }),
    onProblem: (message, context) => logger.warn(context, message),
  });
  await connections.sync();
  setInterval(() => void connections.sync().catch((error: unknown) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, "stored clusters could not be re-read; the gateway keeps the clusters it had")), RESYNC_MS).unref();
  return connections;
}

/** What the account and discovery workflows reach IBM Cloud and the store through. */
export function accountPorts(store: ClusterStore, connections: ClusterConnections, ports: Ports): AccountPorts {
  const settings = env();
  const iamUrl = settings.IBMCLOUD_IAM_URL ?? DEFAULT_IAM_URL;
  return {
    store,
    connections,
    identifyKey: (apiKey) => createIamClient({ apiKey, iamUrl, identityUrl: settings.IBMCLOUD_IAM_IDENTITY_URL ?? iamUrl, retry: { maxRetries: 0 } }).identifyApiKey(apiKey),
    kubernetesService: (tokens) => createKubernetesServiceClient({ apiUrl: settings.IBMCLOUD_CONTAINERS_URL ?? DEFAULT_CONTAINERS_URL, tagsUrl: settings.IBMCLOUD_TAGGING_URL ?? DEFAULT_TAGGING_URL, tokens }),
    // Kubeconfig contexts and the pod's own cluster; stored clusters reach the gateway as token sources.
    reservedNames: () => ports.kube.listAllClusters().filter((c) => c.auth !== "token-source").map((c) => c.name),
  };
}
