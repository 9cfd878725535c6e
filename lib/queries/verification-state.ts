import type { VerificationState } from "@/lib/api/verification";
import { normalizeRegistryHost } from "@/lib/registry/domains";
import type { RegistryVerification } from "@/lib/registry-check/port";

export const NEVER_VERIFIED: VerificationState = { status: "never", checkedAt: null, detail: null, credentialTested: false };

export interface CredentialKey {
  domain: string;
  username: string;
  /** `credentialFingerprint(username, password)`, as found on `RegistryCredentialInfo.fingerprint`. */
  fingerprint: string;
}

export interface VerificationLog {
  /** Keeps the verification unless the log already holds a newer one (by `checkedAt`) for the same credential. */
  record(verification: RegistryVerification): void;
  lookup(key: CredentialKey): VerificationState;
  size(): number;
  /**
   * Grows whenever what `lookup` answers may have changed (a result kept that differs from the one held, or an
   * entry evicted); re-recording a result already held leaves it alone. Views built from the log are cached by it.
   */
  version(): number;
}

function keyOf(key: CredentialKey): string {
  return `${normalizeRegistryHost(key.domain)}|${key.username}|${key.fingerprint}`;
}

const sameState = (a: VerificationState, b: VerificationState) =>
  a.status === b.status && a.checkedAt === b.checkedAt && a.detail === b.detail && a.credentialTested === b.credentialTested;

/**
 * The last verification result per credential, keyed by domain, username and
 * fingerprint, so pages can show "verified valid 3m ago" from the value-free
 * DTOs without ever reading the secret again. A rotated key has a new
 * fingerprint and so starts as "never verified". Bounded: oldest entries go first.
 * Newest wins: results arrive out of order (a sync from the database re-reads
 * rows this process already holds, replicas race), so an older result never
 * replaces a newer one; an equal time replaces, so re-read rows converge on
 * what the database kept.
 */
export function createVerificationLog(options: { maxEntries?: number } = {}): VerificationLog {
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, VerificationState>();
  let version = 0;
  return {
    record(v) {
      const k = keyOf({ domain: v.domain, username: v.username, fingerprint: v.fingerprint });
      const held = entries.get(k);
      if (held?.checkedAt && Date.parse(held.checkedAt) > Date.parse(v.checkedAt)) return;
      const next: VerificationState = { status: v.result, checkedAt: v.checkedAt, detail: v.detail, credentialTested: v.credentialTested };
      if (!held || !sameState(held, next)) version++;
      entries.delete(k);
      entries.set(k, next);
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
        version++;
      }
    },
    lookup: (key) => entries.get(keyOf(key)) ?? NEVER_VERIFIED,
    size: () => entries.size,
    version: () => version,
  };
}
