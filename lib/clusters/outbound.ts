import "server-only";
import { destinationRefusal } from "@/lib/net/destination";
import { createOutboundPolicy, type AllowEntry, type OutboundPolicy } from "@/lib/net/outbound";

/** The setting that lists the cluster API servers an admin may register at non-public addresses. */
export const CLUSTER_ALLOWED_HOSTS_SETTING = "PULLKEEPER_CLUSTER_ALLOWED_HOSTS";

export function clusterOutboundPolicy(entries: readonly AllowEntry[]): OutboundPolicy {
  return createOutboundPolicy(entries, CLUSTER_ALLOWED_HOSTS_SETTING);
}

/**
 * Why the API server of an uploaded kubeconfig may not be contacted, or undefined: the rules registry hosts and
 * webhook targets follow (lib/net), checked before the first request, so a kubeconfig cannot make the server
 * probe its own network or the cloud metadata address.
 */
export async function clusterServerRefusal(server: string, policy: OutboundPolicy): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return `The kubeconfig's server "${server}" is not a URL.`;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return `The kubeconfig's server "${server}" is not an http(s) URL.`;
  const refused = await destinationRefusal(server, policy);
  return refused ? `The cluster was not contacted. ${refused}` : undefined;
}
