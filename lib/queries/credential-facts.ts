import { verdictKey } from "@/lib/coverage/health";
import type { KeyOwnerFact, RegistryVerdict } from "@/lib/coverage/types";
import type { PullSecretInventory } from "@/lib/kube/port";
import type { CredentialKey } from "./verification-state";
import type { VerificationState } from "@/lib/api/verification";

/** What coverage is told about an inventory's credentials: IAM's word on each API key, the newest registry verdict on each entry. */
export interface CredentialFacts {
  keyOwners: ReadonlyMap<string, KeyOwnerFact>;
  registryVerdicts: ReadonlyMap<string, RegistryVerdict>;
}

/** Reads the facts about an inventory's credentials. Must not throw: what cannot be read counts as not known. */
export type CredentialFactsReader = (inventory: PullSecretInventory) => Promise<CredentialFacts>;

export const NO_CREDENTIAL_FACTS: CredentialFactsReader = async () => ({ keyOwners: new Map(), registryVerdicts: new Map() });

export interface CredentialFactsSources {
  /** lib/queries/key-identity-store `readKeyOwners`, bound to the store (it reports its own failures). */
  keyOwners: (fingerprints: readonly string[]) => Promise<ReadonlyMap<string, KeyOwnerFact>>;
  /** The synced verification log: `sync` brings it up to date with the database, `lookup` reads memory. */
  verifications: { sync(): Promise<void>; lookup(key: CredentialKey): VerificationState };
  onSyncError: (error: unknown) => void;
}

function apiKeyFingerprints(inventory: PullSecretInventory): string[] {
  const out = new Set<string>();
  for (const secret of inventory.pullSecrets) for (const entry of secret.registries) if (entry.credentialKind === "iam-api-key" && entry.fingerprint) out.add(entry.fingerprint);
  return [...out];
}

/**
 * The reader a scan uses: one indexed query for the key owners, and the
 * verification log brought up to date first (an unreadable database leaves
 * what memory holds), reduced to the entries this inventory has.
 */
export function credentialFactsReader(sources: CredentialFactsSources): CredentialFactsReader {
  return async (inventory) => {
    const [keyOwners] = await Promise.all([
      sources.keyOwners(apiKeyFingerprints(inventory)),
      sources.verifications.sync().catch((error: unknown) => sources.onSyncError(error)),
    ]);
    const registryVerdicts = new Map<string, RegistryVerdict>();
    for (const secret of inventory.pullSecrets) {
      for (const entry of secret.registries) {
        const state = sources.verifications.lookup({ domain: entry.registry, username: entry.username, fingerprint: entry.fingerprint });
        if (state.status === "never" || !state.checkedAt) continue;
        registryVerdicts.set(verdictKey(entry.registry, entry.username, entry.fingerprint), { result: state.status, checkedAt: state.checkedAt, detail: state.detail });
      }
    }
    return { keyOwners, registryVerdicts };
  };
}
