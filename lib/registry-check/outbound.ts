import "server-only";
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { createGuardedFetch, type GuardedFetch } from "@/lib/net/guarded-fetch";
import { createOutboundPolicy, normalizeHost, refusalMessage, type OutboundPolicy } from "@/lib/net/outbound";

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

/**
 * Whether a registry's endpoint may be contacted at all, checked before a plan
 * offers to write a secret for it: the refusal message, or undefined. Resolves
 * the name now; the connection guard checks again when a check really connects.
 * A name that does not resolve is left to the check, which reports it.
 */
export async function registryEndpointRefusal(baseUrl: string, policy: OutboundPolicy = PUBLIC_ONLY): Promise<string | undefined> {
  const url = new URL(baseUrl);
  const host = normalizeHost(url.hostname);
  const port = Number(url.port) || (url.protocol === "https:" ? 443 : 80);
  if (policy.allowsName(host, port)) return undefined;
  const refused = refusalMessage(host, port, policy.setting);
  if (isIP(host) !== 0) return policy.allowsAddress(host, port) ? undefined : refused;
  let addresses: Array<{ address: string }>;
  try {
    addresses = await lookup(host, { all: true });
  } catch {
    return undefined;
  }
  return addresses.some((entry) => policy.allowsAddress(entry.address, port)) ? undefined : refused;
}
