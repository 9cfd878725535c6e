import { isIP } from "node:net";
import { classifyAddress, inCidr } from "./address";

/**
 * The outbound-address policy: which hosts Pullkeeper may connect to when a
 * user, a form or a cluster object chose the destination (registry checks
 * today; webhooks and cluster connections later). Public addresses are allowed;
 * loopback, private, link-local, metadata and other special addresses are
 * refused unless an administrator's allow-list names them. Pure: the connection
 * guard (guarded-fetch.ts) applies it to every address it actually connects to.
 */

export interface AllowEntry {
  /** The entry as the administrator wrote it, for messages. */
  text: string;
  /** A host name (lower case) or an address range; exactly one is set. */
  name?: string;
  cidr?: { base: string; prefix: number };
  /** Only this port when set; any port otherwise. */
  port?: number;
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_]([-a-z0-9_]{0,61}[a-z0-9_])?(\.[a-z0-9_]([-a-z0-9_]{0,61}[a-z0-9_])?)*$/;

function parsePort(text: string, entry: string): number {
  const port = Number(text);
  if (!/^\d{1,5}$/.test(text) || port < 1 || port > 65_535) throw new Error(`"${entry}": the port must be 1 to 65535`);
  return port;
}

function parseCidr(text: string, entry: string): { base: string; prefix: number } {
  const [base = "", prefixText = ""] = text.split("/");
  const family = isIP(base);
  const prefix = Number(prefixText);
  const max = family === 4 ? 32 : 128;
  if (family === 0 || !/^\d{1,3}$/.test(prefixText) || prefix > max) throw new Error(`"${entry}": expected an address range such as 10.0.0.0/8 or fd00::/8`);
  return { base, prefix };
}

/** One entry: `host`, `host:port`, an IPv4 or IPv6 address (`[v6]:port` with a port), or a CIDR range. */
export function parseAllowEntry(raw: string): AllowEntry {
  const text = raw.trim();
  const entry = text.toLowerCase().replace(/\.$/, "");
  if (entry.includes("/")) return { text, cidr: parseCidr(entry, text) };
  const bracketed = /^\[([^\]]+)\](?::(.+))?$/.exec(entry);
  if (bracketed) {
    if (isIP(bracketed[1]!) !== 6) throw new Error(`"${text}": expected an IPv6 address inside the brackets`);
    return { text, cidr: { base: bracketed[1]!, prefix: 128 }, ...(bracketed[2] ? { port: parsePort(bracketed[2], text) } : {}) };
  }
  if (isIP(entry) === 6) return { text, cidr: { base: entry, prefix: 128 } };
  const colon = entry.lastIndexOf(":");
  const host = colon === -1 ? entry : entry.slice(0, colon);
  const port = colon === -1 ? undefined : parsePort(entry.slice(colon + 1), text);
  const withPort = port === undefined ? {} : { port };
  if (isIP(host) === 4) return { text, cidr: { base: host, prefix: 32 }, ...withPort };
  if (!HOST_NAME.test(host)) throw new Error(`"${text}": expected a host name, host:port, an IP address or a CIDR range`);
  return { text, name: host, ...withPort };
}

/** A comma- or space-separated allow-list; throws naming the first bad entry. */
export function parseAllowList(value: string | undefined): AllowEntry[] {
  return (value ?? "")
    .split(/[,\s]+/)
    .filter((part) => part !== "")
    .map(parseAllowEntry);
}

export interface OutboundPolicy {
  /** The administrator's entries (empty: only public addresses). */
  readonly entries: readonly AllowEntry[];
  /** The setting that holds the allow-list, named in refusals. */
  readonly setting: string;
  /** True when the allow-list names this host (name or literal address) and port: no address check follows. */
  allowsName(host: string, port: number): boolean;
  /** True when an address Pullkeeper is about to connect to is public or allow-listed for this port. */
  allowsAddress(address: string, port: number): boolean;
}

const portMatches = (entry: AllowEntry, port: number) => entry.port === undefined || entry.port === port;

/** Strips IPv6 brackets and a trailing dot, lower-cases. */
export function normalizeHost(host: string): string {
  return host.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "");
}

export function createOutboundPolicy(entries: readonly AllowEntry[], setting: string): OutboundPolicy {
  const allowsAddress = (address: string, port: number) => {
    const ip = normalizeHost(address);
    if (classifyAddress(ip) === "public") return true;
    return entries.some((entry) => entry.cidr !== undefined && portMatches(entry, port) && inCidr(ip, entry.cidr.base, entry.cidr.prefix));
  };
  return {
    entries,
    setting,
    allowsName(host, port) {
      const name = normalizeHost(host);
      if (isIP(name) !== 0) return entries.some((entry) => entry.cidr !== undefined && portMatches(entry, port) && inCidr(name, entry.cidr.base, entry.cidr.prefix));
      return entries.some((entry) => entry.name === name && portMatches(entry, port));
    },
    allowsAddress,
  };
}

/**
 * The one message for a refused destination. It names what the user asked for
 * and the setting, never what the address is or whether anything listens
 * there, so a refusal tells an attacker nothing about the network behind it.
 */
export function refusalMessage(host: string, port: number, setting: string): string {
  return `Pullkeeper does not connect to ${host}:${port}: it is (or resolves to) a loopback, private, link-local or metadata address, and ${setting} does not name it.`;
}
