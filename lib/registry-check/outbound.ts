import "server-only";
import { destinationRefusal } from "@/lib/net/destination";
import { createGuardedFetch, type GuardedFetch } from "@/lib/net/guarded-fetch";
import { createOutboundPolicy, type OutboundPolicy } from "@/lib/net/outbound";

/** The setting that lists the registries Pullkeeper may reach at non-public addresses. */
export const REGISTRY_ALLOWED_HOSTS_SETTING = "PULLKEEPER_REGISTRY_ALLOWED_HOSTS";

/** The policy of a server with no allow-list: public addresses only. */
export const PUBLIC_ONLY = createOutboundPolicy([], REGISTRY_ALLOWED_HOSTS_SETTING);

// One connection pool per policy (a process has one or two), not one per check.
const fetches = new WeakMap<OutboundPolicy, GuardedFetch>();

export function guardedFetchFor(policy: OutboundPolicy = PUBLIC_ONLY): GuardedFetch {
  let http = fetches.get(policy);
  if (!http) {
    http = createGuardedFetch(policy);
    fetches.set(policy, http);
  }
  return http;
}

/** Whether a registry's endpoint may be contacted at all, checked before a plan offers to write a secret for it (lib/net/destination.ts). */
export async function registryEndpointRefusal(baseUrl: string, policy: OutboundPolicy = PUBLIC_ONLY): Promise<string | undefined> {
  return destinationRefusal(baseUrl, policy);
}
