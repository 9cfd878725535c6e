import type { PullSecretDto } from "@/lib/kube/port";
import type { RegistryCredentialInfo } from "@/lib/registry/docker-config";
import { registryKeyMatches } from "@/lib/registry/domains";
import { CURRENT_CREDENTIAL_KINDS } from "./grading";
import type { CredentialDeath, KeyOwnerFact, RegistryVerdict } from "./types";

/** The key of `CoverageOptions.registryVerdicts`: a verification is stored per registry key, username and fingerprint. */
export function verdictKey(registry: string, username: string, fingerprint: string): string {
  return `${registry.toLowerCase()}\u0000${username}\u0000${fingerprint}`;
}

const time = (iso: string | undefined | null) => (iso ? Date.parse(iso) : Number.NaN);

/**
 * Whether what is known says one credential entry is dead, and on whose word.
 * The registry's newest verdict decides when it is `rejected`; IAM's "no such
 * key" or "disabled" decides unless the registry accepted the key after IAM
 * answered (IAM's answer may predate a restore; the registry's is the proof).
 */
function entryDeath(secret: string, entry: RegistryCredentialInfo, keyOwners: ReadonlyMap<string, KeyOwnerFact>, verdicts: ReadonlyMap<string, RegistryVerdict>): CredentialDeath | null {
  const verdict = verdicts.get(verdictKey(entry.registry, entry.username, entry.fingerprint));
  if (verdict?.result === "rejected") return { by: "registry", secret, registry: entry.registry, checkedAt: verdict.checkedAt, detail: verdict.detail };
  if (entry.credentialKind !== "iam-api-key") return null;
  const owner = keyOwners.get(entry.fingerprint);
  const dead = owner?.status === "unknown" ? "deleted" : owner?.status === "found" && owner.disabled ? "disabled" : null;
  if (!dead || !owner) return null;
  if (verdict?.result === "valid" && !(time(verdict.checkedAt) <= time(owner.checkedAt))) return null;
  return { by: "iam", secret, reason: dead, checkedAt: owner.checkedAt ?? null };
}

/** Tells live credentials from dead ones, from IAM's and the registries' newest word. Memoised per secret and registry. */
export class CredentialHealth {
  private readonly cache = new WeakMap<PullSecretDto, Map<string, CredentialDeath | null>>();

  constructor(
    private readonly keyOwners: ReadonlyMap<string, KeyOwnerFact>,
    private readonly verdicts: ReadonlyMap<string, RegistryVerdict>,
  ) {}

  /**
   * Why the secret's current credentials for the registry are all dead, or null
   * when one of them is not known to be (or it holds none: grading says that).
   */
  deathOf(secret: PullSecretDto, registry: string): CredentialDeath | null {
    let perSecret = this.cache.get(secret);
    if (!perSecret) {
      perSecret = new Map();
      this.cache.set(secret, perSecret);
    }
    const hit = perSecret.get(registry);
    if (hit !== undefined) return hit;
    const deaths: CredentialDeath[] = [];
    for (const entry of secret.registries) {
      if (!registryKeyMatches(entry.registry, registry) || !CURRENT_CREDENTIAL_KINDS.has(entry.credentialKind)) continue;
      const death = entryDeath(secret.name, entry, this.keyOwners, this.verdicts);
      if (!death) {
        perSecret.set(registry, null);
        return null;
      }
      deaths.push(death);
    }
    const out = deaths[0] ?? null;
    perSecret.set(registry, out);
    return out;
  }
}
