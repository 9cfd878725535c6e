/**
 * Registry domains the simulator serves and the IAM region each belongs to.
 * Kept separate from lib/registry/domains.ts on purpose: simulators never import
 * product code (shared/reference/ibm-cloud.md §5.1 is the common source).
 */

export interface SimRegistryDomain {
  domain: string;
  /** IAM region a policy's `region` attribute must match, or `global`. */
  region: string;
  /** `registry.*.bluemix.net`: the registries that took registry tokens (user `token`). */
  legacy: boolean;
}

const ICR_ROWS: ReadonlyArray<[string, string]> = [
  ["", "global"],
  ["us.", "us-south"],
  ["uk.", "eu-gb"],
  ["de.", "eu-de"],
  ["au.", "au-syd"],
  ["jp.", "jp-tok"],
  ["jp2.", "jp-osa"],
  ["br.", "br-sao"],
  ["ca.", "ca-tor"],
  ["ca2.", "ca-mon"],
  ["es.", "eu-es"],
  ["fr2.", "eu-fr2"],
  ["in.", "in-che"],
  ["in2.", "in-mum"],
];

const LEGACY_ROWS: ReadonlyArray<[string, string]> = [
  ["registry.bluemix.net", "global"],
  ["registry.ng.bluemix.net", "us-south"],
  ["registry.eu-gb.bluemix.net", "eu-gb"],
  ["registry.eu-de.bluemix.net", "eu-de"],
  ["registry.au-syd.bluemix.net", "au-syd"],
  ["registry.jp-tok.bluemix.net", "jp-tok"],
  ["registry.eu-fr2.bluemix.net", "eu-fr2"],
];

export const SIM_REGISTRY_DOMAINS: readonly SimRegistryDomain[] = [
  ...ICR_ROWS.map(([sub, region]) => ({ domain: `${sub}icr.io`, region, legacy: false })),
  ...ICR_ROWS.map(([sub, region]) => ({ domain: `private.${sub}icr.io`, region, legacy: false })),
  ...LEGACY_ROWS.map(([domain, region]) => ({ domain, region, legacy: true })),
];

const BY_DOMAIN = new Map(SIM_REGISTRY_DOMAINS.map((d) => [d.domain, d]));

export function findRegistryDomain(domain: string): SimRegistryDomain | undefined {
  return BY_DOMAIN.get(domain.toLowerCase());
}

/** Registry regions were renamed; IAM accepts policies written with either name. */
const REGION_ALIASES: Record<string, string> = {
  "uk-south": "eu-gb",
  "eu-central": "eu-de",
  "ap-south": "au-syd",
  "ap-north": "jp-tok",
  "us-east": "us-south",
};

export function normaliseRegion(region: string): string {
  const lower = region.toLowerCase();
  return REGION_ALIASES[lower] ?? lower;
}
