import { isIP } from "node:net";

/**
 * What kind of address an IP is, for deciding whether Pullkeeper may connect to
 * it on behalf of a user. Pure and synchronous: DNS happens elsewhere
 * (guarded-fetch.ts), and every resolved address passes through here.
 */
export type AddressClass =
  | "public"
  | "unspecified"
  | "loopback"
  | "private"
  | "carrier_nat"
  | "link_local"
  | "metadata"
  | "unique_local"
  | "multicast"
  | "documentation"
  | "reserved"
  | "invalid";

type Rule = readonly [base: string, prefix: number, kind: Exclude<AddressClass, "public" | "invalid">];

const IPV4_RULES: readonly Rule[] = [
  ["0.0.0.0", 8, "unspecified"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "carrier_nat"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link_local"],
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "reserved"],
  ["192.0.2.0", 24, "documentation"],
  ["192.88.99.0", 24, "reserved"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "reserved"],
  ["198.51.100.0", 24, "documentation"],
  ["203.0.113.0", 24, "documentation"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"],
];

const IPV6_RULES: readonly Rule[] = [
  ["::", 128, "unspecified"],
  ["::1", 128, "loopback"],
  // IPv4-compatible addresses (deprecated, RFC 4291 §2.5.5.1): never a real destination.
  ["::", 96, "reserved"],
  ["64:ff9b:1::", 48, "private"],
  ["100::", 64, "reserved"],
  // Teredo tunnels to an address the server cannot check.
  ["2001::", 32, "reserved"],
  ["2001:2::", 48, "reserved"],
  ["2001:10::", 28, "reserved"],
  ["2001:20::", 28, "reserved"],
  ["2001:db8::", 32, "documentation"],
  ["3fff::", 20, "documentation"],
  ["fc00::", 7, "unique_local"],
  ["fe80::", 10, "link_local"],
  ["fec0::", 10, "reserved"],
  ["ff00::", 8, "multicast"],
];

/**
 * Cloud instance-metadata endpoints. Most already sit in a refused range; Azure's
 * wire server (168.63.129.16) is in public space, so it is listed by address.
 */
const METADATA_ADDRESSES = ["169.254.169.254", "169.254.170.2", "100.100.100.200", "192.0.0.192", "168.63.129.16", "fd00:ec2::254"];

export function ipv4ToInt(address: string): number {
  return address.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
}

/** Eight 16-bit groups of an IPv6 address (zone id removed, a dotted IPv4 tail expanded). */
export function ipv6Groups(address: string): number[] {
  let text = address.replace(/%.*$/, "").toLowerCase();
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail?.[1]) {
    const v4 = ipv4ToInt(tail[1]);
    text = `${text.slice(0, tail.index)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head = "", rest] = text.split("::") as [string, string | undefined];
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((group) => parseInt(group, 16)));
  const left = parse(head);
  if (rest === undefined) return left;
  const right = parse(rest);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

function ipv6ToBigInt(address: string): bigint {
  return ipv6Groups(address).reduce((acc, group) => (acc << 16n) | BigInt(group), 0n);
}

/** Whether `address` lies in `base/prefix` (both of the same family). */
export function inCidr(address: string, base: string, prefix: number): boolean {
  const family = isIP(address);
  if (family !== isIP(base) || family === 0) return false;
  if (family === 4) {
    if (prefix === 0) return true;
    const mask = prefix === 32 ? 0xffffffff : ~(0xffffffff >>> prefix) >>> 0;
    return ((ipv4ToInt(address) & mask) >>> 0) === ((ipv4ToInt(base) & mask) >>> 0);
  }
  const shift = BigInt(128 - prefix);
  return ipv6ToBigInt(address) >> shift === ipv6ToBigInt(base) >> shift;
}

/**
 * The IPv4 address inside an IPv6 form that reaches it: IPv4-mapped (`::ffff:a.b.c.d`),
 * IPv4-translated (`::ffff:0:a.b.c.d`), NAT64 (`64:ff9b::a.b.c.d`) and 6to4 (`2002:AABB:CCDD::`).
 */
export function embeddedIpv4(address: string): string | undefined {
  if (isIP(address) !== 6) return undefined;
  const g = ipv6Groups(address);
  const v4 = (hi: number, lo: number) => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join(".");
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return v4(g[6]!, g[7]!);
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return v4(g[6]!, g[7]!);
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return v4(g[6]!, g[7]!);
  if (g[0] === 0x2002) return v4(g[1]!, g[2]!);
  return undefined;
}

/** Classifies an IP address; anything that is not a valid IP is `invalid`. */
export function classifyAddress(input: string): AddressClass {
  const address = input.trim().replace(/^\[(.*)\]$/, "$1").replace(/%.*$/, "");
  const family = isIP(address);
  if (family === 0) return "invalid";
  if (METADATA_ADDRESSES.some((known) => inCidr(address, known, family === 4 ? 32 : 128))) return "metadata";
  if (family === 6) {
    const inner = embeddedIpv4(address);
    if (inner !== undefined) return classifyAddress(inner);
  }
  const rules = family === 4 ? IPV4_RULES : IPV6_RULES;
  for (const [base, prefix, kind] of rules) if (inCidr(address, base, prefix)) return kind;
  return "public";
}
