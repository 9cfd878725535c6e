import { normalizeRegistryHost } from "./domains";

/** The single IKS secret (May 2020+) covering every icr.io domain. */
export const ALL_ICR_IO_SECRET = "all-icr-io";

/**
 * The IKS per-domain secret name: `us.icr.io` gives `default-us-icr-io`,
 * `icr.io` gives `default-icr-io`. `prefix` replaces `default` (a namespace, for copies).
 */
export function perDomainSecretName(domain: string, prefix = "default"): string {
  return `${prefix}-${normalizeRegistryHost(domain).replace(/[.:]/g, "-")}`;
}
