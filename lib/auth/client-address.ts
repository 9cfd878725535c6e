import { BlockList, isIP } from "node:net";

/**
 * The request header carrying the client's address as Pullkeeper resolved it
 * (client-address-stamp.ts), set on every request at the HTTP server and
 * overwriting whatever a client sent under that name.
 */
export const CLIENT_ADDRESS_HEADER = "x-pullkeeper-client-address";

/** IPv4-mapped IPv6 (::ffff:10.0.0.1) and plain IPv4 are the same client. */
function normalizeAddress(value: string): string {
  return value.trim().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1").toLowerCase();
}

/** The reverse proxies whose X-Forwarded-For entries are believed (PULLKEEPER_TRUSTED_PROXIES). */
export interface TrustedProxies {
  has(address: string): boolean;
}

/**
 * Parses CIDRs (`10.0.0.0/8`, `fd00::/8`) and single addresses. Throws a message
 * naming the first entry that is neither.
 */
export function parseTrustedProxies(entries: readonly string[]): TrustedProxies {
  const list = new BlockList();
  for (const entry of entries) {
    const [network = "", prefixText, ...rest] = entry.trim().split("/");
    const family = isIP(network);
    const prefix = prefixText === undefined ? (family === 6 ? 128 : 32) : Number(prefixText);
    const maxPrefix = family === 6 ? 128 : 32;
    if (family === 0 || rest.length > 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > maxPrefix || prefixText === "") {
      throw new Error(`"${entry}" is not an IP address or CIDR such as 10.0.0.0/8 or fd00::/8`);
    }
    list.addSubnet(normalizeAddress(network), prefix, family === 6 ? "ipv6" : "ipv4");
  }
  return {
    has(address) {
      const normalized = normalizeAddress(address);
      const family = isIP(normalized);
      return family !== 0 && list.check(normalized, family === 6 ? "ipv6" : "ipv4");
    },
  };
}

/**
 * Pure: the client's address from the socket's peer and the X-Forwarded-For header.
 * Without trusted proxies it is the socket's peer, whatever the header says (anyone
 * can send one). When the peer is a trusted proxy, the chain is walked from the
 * right, skipping trusted proxies: the first hop that is not one is the client (the
 * last trusted proxy saw it; entries further left are the client's own claims).
 */
export function resolveClientAddress(socketAddress: string | undefined, forwardedFor: string | undefined, trusted: TrustedProxies): string | null {
  if (!socketAddress) return null;
  let nearest = normalizeAddress(socketAddress);
  const hops = (forwardedFor ?? "").split(",").map((part) => part.trim()).filter(Boolean);
  while (trusted.has(nearest)) {
    const previous = hops.pop();
    // A garbled entry: the trusted hop that forwarded it stands in for the client.
    if (!previous || isIP(normalizeAddress(previous)) === 0) return nearest;
    nearest = normalizeAddress(previous);
  }
  return nearest;
}

/**
 * The address a request came from, for sign-in throttling and session records:
 * the one the HTTP server resolved (never a client-sent X-Forwarded-For), or
 * null when the request did not come through it (e.g. a test calling a handler).
 */
export function clientAddress(headers: Headers): string | null {
  const value = headers.get(CLIENT_ADDRESS_HEADER)?.trim();
  return value && isIP(value) !== 0 ? value : null;
}
