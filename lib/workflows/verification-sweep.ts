import type { KubeGateway, PullSecretInventory } from "@/lib/kube/port";
import type { RegistryVerification, RegistryVerifier } from "./engine/deps";

export interface SweepDeps {
  kube: Pick<KubeGateway, "withPullSecretCredentials">;
  /** The ports' verifier: every result is saved for the dashboard (and reported to the metrics) before it returns. */
  verifyRegistry: RegistryVerifier;
  /** Why a registry may not be contacted (lib/net outbound allow-list), or undefined. */
  registryRefusal?: (domain: string) => Promise<string | undefined>;
}

/** One credential's verdict, as the sweep found it: names and the fingerprint, never the credential. */
export interface SweptCredential {
  cluster: string;
  registry: string;
  username: string;
  fingerprint: string;
  result: RegistryVerification["result"];
  /** How many pull secrets of the cluster hold this credential for this registry. */
  secrets: number;
  /** One of them, to link to. */
  example: { namespace: string; name: string };
}

/**
 * Checks each distinct credential of a cluster once against its registry (a
 * fleet holds the same key in hundreds of copies: one check per key and
 * registry, not per secret), read from one secret that holds it. Wildcard
 * registry keys and registries the outbound allow-list refuses are left out.
 * Reads only: nothing is written but the verification results.
 */
export async function sweepClusterCredentials(deps: SweepDeps, cluster: string, inventory: PullSecretInventory): Promise<SweptCredential[]> {
  const distinct = new Map<string, { registry: string; username: string; fingerprint: string; secrets: number; example: { namespace: string; name: string } }>();
  for (const secret of inventory.pullSecrets) {
    for (const entry of secret.registries) {
      if (entry.registry.includes("*")) continue;
      const key = `${entry.registry}\u0000${entry.fingerprint}`;
      const held = distinct.get(key);
      if (held) held.secrets++;
      else distinct.set(key, { registry: entry.registry, username: entry.username, fingerprint: entry.fingerprint, secrets: 1, example: { namespace: secret.namespace, name: secret.name } });
    }
  }
  const swept: SweptCredential[] = [];
  for (const candidate of distinct.values()) {
    if (await deps.registryRefusal?.(candidate.registry)) continue;
    const result = await deps.kube
      .withPullSecretCredentials(cluster, candidate.example, async (credentials) => {
        const credential = credentials.find((entry) => entry.registry === candidate.registry);
        if (!credential) return null;
        return (await deps.verifyRegistry({ domain: credential.registry, username: credential.username, password: credential.password })).result;
      })
      // The secret went away or became unreadable since the scan: the next sweep sees the cluster as it is then.
      .catch(() => null);
    if (result) swept.push({ cluster, ...candidate, result });
  }
  return swept;
}
