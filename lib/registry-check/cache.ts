import "server-only";
import { credentialFingerprint } from "@/lib/registry/fingerprint";
import type { RegistryVerification, VerifyRegistryCredentialInput } from "./port";

/**
 * Remembers verification results for a while, keyed by domain, username and the
 * credential's fingerprint (a short hash; the password itself is never stored
 * or used as a key). A rotated key has a new fingerprint, so it misses the
 * cache at once. Concurrent checks of the same credential share one request.
 */
export interface VerificationCacheOptions {
  ttlMs: number;
  now?: () => number;
  /** Cache `unreachable`/`tls_error` too (default false: a network blip should not stick). */
  cacheFailures?: boolean;
  /** Oldest entries are evicted beyond this; default 5 000. */
  maxEntries?: number;
}

export interface CachedVerification {
  verification: RegistryVerification;
  /** When the result was stored (epoch ms, from `now`). */
  storedAt: number;
  cached: boolean;
}

type CredentialRef = Pick<VerifyRegistryCredentialInput, "domain" | "username" | "password">;

export interface VerificationCache {
  key(ref: CredentialRef): string;
  get(ref: CredentialRef): CachedVerification | undefined;
  set(ref: CredentialRef, verification: RegistryVerification): void;
  /** Returns a fresh cached result, or runs `verify` (once for concurrent callers) and stores it. */
  getOrVerify(input: VerifyRegistryCredentialInput, verify: (input: VerifyRegistryCredentialInput) => Promise<RegistryVerification>): Promise<CachedVerification>;
  invalidate(ref: CredentialRef): void;
  size(): number;
}

export function createVerificationCache(options: VerificationCacheOptions): VerificationCache {
  const now = options.now ?? (() => Date.now());
  const maxEntries = options.maxEntries ?? 5_000;
  const entries = new Map<string, { verification: RegistryVerification; storedAt: number }>();
  const inFlight = new Map<string, Promise<CachedVerification>>();

  const key = (ref: CredentialRef) => `${ref.domain.toLowerCase()}|${ref.username}|${credentialFingerprint(ref.username, ref.password)}`;

  function get(ref: CredentialRef): CachedVerification | undefined {
    const k = key(ref);
    const entry = entries.get(k);
    if (!entry) return undefined;
    if (now() - entry.storedAt >= options.ttlMs) {
      entries.delete(k);
      return undefined;
    }
    return { ...entry, cached: true };
  }

  function set(ref: CredentialRef, verification: RegistryVerification): void {
    const failure = verification.result === "unreachable" || verification.result === "tls_error";
    if (failure && !options.cacheFailures) return;
    const k = key(ref);
    entries.delete(k);
    entries.set(k, { verification, storedAt: now() });
    while (entries.size > maxEntries) {
      const oldest = entries.keys().next().value;
      if (oldest === undefined) break;
      entries.delete(oldest);
    }
  }

  return {
    key,
    get,
    set,
    async getOrVerify(input, verify) {
      const hit = get(input);
      if (hit) return hit;
      const k = key(input);
      const pending = inFlight.get(k);
      if (pending) return pending;
      const run = (async () => {
        try {
          const verification = await verify(input);
          set(input, verification);
          return { verification, storedAt: now(), cached: false };
        } finally {
          inFlight.delete(k);
        }
      })();
      inFlight.set(k, run);
      return run;
    },
    invalidate(ref) {
      entries.delete(key(ref));
    },
    size: () => entries.size,
  };
}
