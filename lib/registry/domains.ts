/**
 * The IBM Cloud Container Registry domain table and host classification.
 * Pure data and functions: safe to import from client components.
 * Source: shared/reference/ibm-cloud.md §5.1 and §6.
 */

export type HostClass = "icr" | "legacy-icr" | "docker-hub" | "other";

export interface IcrDomain {
  domain: string;
  /** IBM Cloud region id (`us-south`, `eu-gb`, ...) or `global`. */
  region: string;
  regionName: string;
  /** Private (service-endpoint) variant of a public domain. */
  private: boolean;
  /** One of the six domains IKS wrote `default-*-icr-io` secrets for in 2019. */
  inOriginalSet: boolean;
  /** Entitled-software registry (`cp.icr.io`, user `cp`): not a regional pull target. */
  entitled?: boolean;
}

export interface LegacyDomain {
  domain: string;
  region: string;
  /** The icr.io domain that replaced it. */
  successor: string;
  /** True where the mapping is inferred rather than documented by IBM. */
  inferred: boolean;
}

interface RegionRow {
  sub: string;
  region: string;
  regionName: string;
  original: boolean;
}

const REGION_ROWS: readonly RegionRow[] = [
  { sub: "", region: "global", regionName: "Global", original: true },
  { sub: "us", region: "us-south", regionName: "Dallas (us-south)", original: true },
  { sub: "uk", region: "eu-gb", regionName: "London (eu-gb)", original: true },
  { sub: "de", region: "eu-de", regionName: "Frankfurt (eu-de)", original: true },
  { sub: "au", region: "au-syd", regionName: "Sydney (au-syd)", original: true },
  { sub: "jp", region: "jp-tok", regionName: "Tokyo (jp-tok)", original: true },
  { sub: "jp2", region: "jp-osa", regionName: "Osaka (jp-osa)", original: false },
  { sub: "ca", region: "ca-tor", regionName: "Toronto (ca-tor)", original: false },
  { sub: "ca2", region: "ca-mon", regionName: "Montreal (ca-mon)", original: false },
  { sub: "br", region: "br-sao", regionName: "São Paulo (br-sao)", original: false },
  { sub: "es", region: "eu-es", regionName: "Madrid (eu-es)", original: false },
  { sub: "fr2", region: "eu-fr2", regionName: "Paris (eu-fr2)", original: false },
  { sub: "in", region: "in-che", regionName: "Chennai (in-che)", original: false },
  { sub: "in2", region: "in-mum", regionName: "Mumbai (in-mum)", original: false },
];

function publicDomain(sub: string): string {
  return sub === "" ? "icr.io" : `${sub}.icr.io`;
}

/** Every icr.io domain: public regional + global, their `private.` variants, and `cp.icr.io`. */
export const ICR_DOMAINS: readonly IcrDomain[] = [
  ...REGION_ROWS.map((r) => ({
    domain: publicDomain(r.sub),
    region: r.region,
    regionName: r.regionName,
    private: false,
    inOriginalSet: r.original,
  })),
  ...REGION_ROWS.map((r) => ({
    domain: `private.${publicDomain(r.sub)}`,
    region: r.region,
    regionName: `${r.regionName}, private endpoint`,
    private: true,
    inOriginalSet: false,
  })),
  { domain: "cp.icr.io", region: "global", regionName: "IBM entitled software", private: false, inOriginalSet: false, entitled: true },
];

/** The public icr.io domains (global + regional) that coverage reports on by default. */
export const PUBLIC_ICR_DOMAINS: readonly string[] = ICR_DOMAINS.filter((d) => !d.private && !d.entitled).map((d) => d.domain);

/** The 2019 IKS set: `default-icr-io` plus `default-{us,uk,de,au,jp}-icr-io`. */
export const ORIGINAL_ICR_DOMAINS: readonly string[] = ICR_DOMAINS.filter((d) => d.inOriginalSet).map((d) => d.domain);

/** What an `all-icr-io` secret covers: every public and private regional domain (not `cp.icr.io`). */
export const ALL_ICR_IO_DOMAINS: readonly string[] = ICR_DOMAINS.filter((d) => !d.entitled).map((d) => d.domain);

export const LEGACY_DOMAINS: readonly LegacyDomain[] = [
  { domain: "registry.bluemix.net", region: "global", successor: "icr.io", inferred: false },
  { domain: "registry.ng.bluemix.net", region: "us-south", successor: "us.icr.io", inferred: false },
  { domain: "registry.eu-gb.bluemix.net", region: "eu-gb", successor: "uk.icr.io", inferred: false },
  { domain: "registry.eu-de.bluemix.net", region: "eu-de", successor: "de.icr.io", inferred: false },
  { domain: "registry.au-syd.bluemix.net", region: "au-syd", successor: "au.icr.io", inferred: false },
  { domain: "registry.jp-tok.bluemix.net", region: "jp-tok", successor: "jp.icr.io", inferred: true },
  { domain: "registry.eu-fr2.bluemix.net", region: "eu-fr2", successor: "fr2.icr.io", inferred: true },
];

const ICR_BY_DOMAIN = new Map(ICR_DOMAINS.map((d) => [d.domain, d]));
const LEGACY_BY_DOMAIN = new Map(LEGACY_DOMAINS.map((d) => [d.domain, d]));
const DOCKER_HUB_HOSTS = new Set(["docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"]);

/**
 * Reduces a registry key as found in `.dockerconfigjson` `auths` (which may be
 * `https://us.icr.io/v1/`, `US.ICR.IO`, `index.docker.io`, ...) or an image
 * reference's domain to the canonical `host[:port]` used throughout Pullkeeper.
 * Docker Hub aliases all become `docker.io`.
 */
export function normalizeRegistryHost(raw: string): string {
  const hit = normalizedHosts.get(raw);
  if (hit !== undefined) return hit;
  const out = normalizeUncached(raw);
  // Bounded: hosts are few, but the input is whatever secrets and images hold.
  if (normalizedHosts.size >= 10_000) normalizedHosts.clear();
  normalizedHosts.set(raw, out);
  return out;
}

/** A coverage computation asks for the same few hosts a million times (every namespace, registry and secret entry). */
const normalizedHosts = new Map<string, string>();

function normalizeUncached(raw: string): string {
  let s = raw.trim().toLowerCase();
  s = s.replace(/^[a-z][a-z0-9+.-]*:\/\//, "");
  const slash = s.indexOf("/");
  if (slash >= 0) s = s.slice(0, slash);
  if (s.endsWith(":443")) s = s.slice(0, -4);
  if (DOCKER_HUB_HOSTS.has(s)) return "docker.io";
  return s;
}

export function classifyHost(host: string): HostClass {
  const h = normalizeRegistryHost(host);
  if (h === "docker.io") return "docker-hub";
  if (h === "icr.io" || h.endsWith(".icr.io")) return "icr";
  if (LEGACY_BY_DOMAIN.has(h) || /^registry\.([a-z0-9-]+\.)?bluemix\.net$/.test(h)) return "legacy-icr";
  return "other";
}

export function icrDomainInfo(host: string): IcrDomain | undefined {
  return ICR_BY_DOMAIN.get(normalizeRegistryHost(host));
}

export function legacyDomainInfo(host: string): LegacyDomain | undefined {
  return LEGACY_BY_DOMAIN.get(normalizeRegistryHost(host));
}

/** The icr.io successor of a discontinued `registry.*.bluemix.net` domain, or undefined. */
export function successorDomain(host: string): string | undefined {
  return legacyDomainInfo(host)?.successor;
}

/** A short region label for any host, for display ("us-south", "global", or the host class). */
export function regionOf(host: string): string | undefined {
  return icrDomainInfo(host)?.region ?? legacyDomainInfo(host)?.region;
}

/**
 * Whether credentials stored under `authKey` are offered by the kubelet for an
 * image hosted on `imageHost`. Keys are compared as normalised hosts; a key with
 * a leading `*.` glob matches one subdomain level, as the kubelet's credential
 * keyring does.
 */
export function registryKeyMatches(authKey: string, imageHost: string): boolean {
  const key = normalizeRegistryHost(authKey);
  const host = normalizeRegistryHost(imageHost);
  if (key === host) return true;
  if (key.startsWith("*.")) {
    const suffix = key.slice(1);
    if (!host.endsWith(suffix)) return false;
    const label = host.slice(0, host.length - suffix.length);
    return label.length > 0 && !label.includes(".");
  }
  return false;
}
