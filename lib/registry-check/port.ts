import type { OutboundPolicy } from "@/lib/net/outbound";

/**
 * The registry credential checker's contract: what a check takes and what it
 * reports. Types only, so read models and workflows can name a result without
 * importing the HTTP client.
 */

export const VERIFICATION_RESULTS = ["valid", "rejected", "unreachable", "tls_error"] as const;
export type VerificationResult = (typeof VERIFICATION_RESULTS)[number];

export interface RegistryVerification {
  domain: string;
  username: string;
  /** Short hash of `username:password` (lib/registry/fingerprint.ts); never the password. */
  fingerprint: string;
  result: VerificationResult;
  latencyMs: number;
  /** ISO timestamp of when the check finished. */
  checkedAt: string;
  /** Operator-readable explanation; never contains the password. */
  detail: string;
  /**
   * False when the registry answered /v2/ without asking for credentials: the
   * result is then `valid` for reachability only; the credential was not exercised.
   */
  credentialTested: boolean;
}

export interface VerifyRegistryCredentialInput {
  domain: string;
  username: string;
  password: string;
  /** Budget for the whole exchange (all requests). Default 10 000 ms. */
  timeoutMs?: number;
  /** Maps a domain to the base URL of its registry; default `https://${domain}`. */
  resolveBaseUrl?: (domain: string) => string;
  /**
   * Where the check may connect (lib/net/outbound). Default: public addresses
   * only; the server passes the policy built from PULLKEEPER_REGISTRY_ALLOWED_HOSTS.
   */
  outbound?: OutboundPolicy;
  /** Optional `repository:<ns>/<repo>:pull` to request instead of a bare login. */
  scope?: string;
  /** Clock override for tests. */
  now?: () => Date;
}

/**
 * Verifies a credential against the registry serving `domain` (Docker Registry
 * HTTP API v2: `/v2/` probe, token exchange, confirmation). Never throws for
 * registry or network trouble: every outcome is a {@link RegistryVerification}.
 */
export type RegistryCredentialChecker = (input: VerifyRegistryCredentialInput) => Promise<RegistryVerification>;

export const DEFAULT_VERIFY_TIMEOUT_MS = 10_000;
