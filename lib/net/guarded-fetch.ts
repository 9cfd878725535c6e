import "server-only";
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import { Agent, buildConnector, fetch as undiciFetch } from "undici";
import { OutboundRefusedError } from "./errors";
import { normalizeHost, type OutboundPolicy } from "./outbound";

/**
 * `fetch` that connects only where the outbound policy allows. The check runs
 * inside the connection itself, on every new connection: a literal address
 * before connecting, a host name on the addresses DNS returned (the socket is
 * given only those), so a name that resolves differently the second time
 * (DNS rebinding) is checked again and the checked address is the one used.
 */
export type GuardedFetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

function guardedLookup(policy: OutboundPolicy, host: string, port: number): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      const allowed = addresses.filter((entry) => policy.allowsAddress(entry.address, port));
      if (allowed.length === 0) return callback(new OutboundRefusedError(host, port, policy.setting), "", 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, allowed);
      return callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
}

export function createGuardedFetch(policy: OutboundPolicy): GuardedFetch {
  const direct = buildConnector({});
  const byPort = new Map<string, buildConnector.connector>();
  const connect: buildConnector.connector = (options, callback) => {
    const host = normalizeHost(options.hostname);
    const port = Number(options.port) || (options.protocol === "https:" ? 443 : 80);
    if (policy.allowsName(host, port)) return direct(options, callback);
    if (isIP(host) !== 0) {
      if (policy.allowsAddress(host, port)) return direct(options, callback);
      return callback(new OutboundRefusedError(host, port, policy.setting), null);
    }
    const key = `${host}:${port}`;
    let connector = byPort.get(key);
    if (!connector) {
      // Bounded: the hosts come from pull secrets, which a tenant can multiply.
      if (byPort.size >= 256) byPort.clear();
      connector = buildConnector({ lookup: guardedLookup(policy, host, port) });
      byPort.set(key, connector);
    }
    return connector(options, callback);
  };
  const dispatcher = new Agent({ connect });
  return (url, init) => undiciFetch(url, { ...(init as object), dispatcher }) as unknown as Promise<Response>;
}
