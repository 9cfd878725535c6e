import "server-only";
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { normalizeHost, refusalMessage, type OutboundPolicy } from "./outbound";

/**
 * Whether a URL's host may be contacted at all, checked when a destination is
 * chosen (a registry a plan would write a secret for, a webhook target being
 * saved): the refusal message, or undefined. Resolves the name now; the
 * connection guard checks again when something really connects. A name that
 * does not resolve is left to the connection, which reports it.
 */
export async function destinationRefusal(destination: string, policy: OutboundPolicy): Promise<string | undefined> {
  const url = new URL(destination);
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
