import type { ApiKeyIdentity } from "@/lib/iam/port";
import type { PullSecretDto, PullSecretInventory } from "@/lib/kube/port";
import { proveProvenance } from "@/lib/provenance/proof";
import { seedCopyNameOf } from "@/lib/coverage/copies";
import type { WorkflowDeps } from "../engine/deps";
import { WorkflowError } from "../engine/errors";

/** The namespace whose secrets IKS writes and keeps current: the sources every copy is made from. */
export const SOURCE_NAMESPACE = "default";

export interface ClusterRead {
  cluster: string;
  inventory: PullSecretInventory | null;
  /** Why the cluster could not be read. */
  error?: string;
}

/** Every cluster's inventory, read at once; a cluster that cannot be read is reported, not thrown. */
export async function readFleet(deps: WorkflowDeps): Promise<ClusterRead[]> {
  const clusters = deps.kube.listClusters().map((info) => info.name);
  const reads = await Promise.allSettled(clusters.map((cluster) => deps.kube.readPullSecretInventory(cluster)));
  return reads.map((read, index) =>
    read.status === "fulfilled" ? { cluster: clusters[index]!, inventory: read.value } : { cluster: clusters[index]!, inventory: null, error: read.reason instanceof Error ? read.reason.message : "unreadable" },
  );
}

/** One `iamapikey` entry fingerprint of the fleet, with what IAM says of its key (never its value). */
export type KeyFact = { status: "found"; identity: ApiKeyIdentity } | { status: "unknown" } | { status: "not_visible" } | { status: "unreadable"; reason: string };

export const apiKeyEntries = (secret: PullSecretDto) => secret.registries.filter((entry) => entry.credentialKind === "iam-api-key");

/**
 * Who owns each distinct API key the fleet's pull secrets hold: one read of
 * one secret holding it and one IAM details lookup by value per key. The value
 * is handed from the secret to IAM inside the gateway's callback and dropped.
 */
export async function identifyFleetKeys(deps: WorkflowDeps, fleet: readonly ClusterRead[]): Promise<Map<string, KeyFact>> {
  const iam = deps.iam;
  if (!iam) throw new WorkflowError("not_configured", "IBM Cloud is not configured (IBMCLOUD_API_KEY): Pullkeeper cannot tell which service ID owns each key, nor mint a new one.");
  const holders = new Map<string, { cluster: string; secret: PullSecretDto }>();
  for (const { cluster, inventory } of fleet) {
    for (const secret of inventory?.pullSecrets ?? []) {
      for (const entry of apiKeyEntries(secret)) if (!holders.has(entry.fingerprint)) holders.set(entry.fingerprint, { cluster, secret });
    }
  }
  const facts = new Map<string, KeyFact>();
  await Promise.all(
    [...holders].map(async ([fingerprint, { cluster, secret }]) => {
      try {
        const lookup = await deps.kube.withPullSecretCredentials(cluster, secret, async (credentials) => {
          const credential = credentials.find((entry) => entry.credentialKind === "iam-api-key" && apiKeyEntries(secret).some((e) => e.registry === entry.registry && e.fingerprint === fingerprint));
          return credential ? iam.identifyApiKey(credential.password) : null;
        });
        facts.set(fingerprint, lookup ?? { status: "unreadable", reason: `${secret.namespace}/${secret.name} on ${cluster} changed while it was read` });
      } catch (error) {
        facts.set(fingerprint, { status: "unreadable", reason: error instanceof Error ? error.message : "the lookup failed" });
      }
    }),
  );
  return facts;
}

export interface SecretAt {
  cluster: string;
  secret: PullSecretDto;
}

/** How each secret holding one of the rotated keys is treated. */
export interface Holders {
  /** Secrets in `default` holding a rotated key: written with the new key. */
  sources: SecretAt[];
  /** Provable copies of a source (Pullkeeper-made, proven; or the seed recipe's exact signature): refreshed. */
  copies: (SecretAt & { source: PullSecretDto; evidence: string })[];
  /** Holding a rotated key without being a provable copy: left alone, and said (they stop working when the key goes). */
  unproven: SecretAt[];
}

const shape = (secret: PullSecretDto) => secret.registries.map((entry) => `${entry.registry}\u0000${entry.username}`).sort().join("\n");

/**
 * Why `secret` is a provable copy of one of `sources`, or null. `holdsSourceKey`: the secret holds exactly a key
 * the source holds (one of the rotated keys), which is what tells the recipe's copy of `all-icr-io` (it keeps
 * its name) from another secret that happens to share the name.
 */
async function copyEvidence(deps: WorkflowDeps, cluster: string, secret: PullSecretDto, sources: readonly PullSecretDto[], holdsSourceKey: (source: PullSecretDto) => boolean): Promise<{ source: PullSecretDto; evidence: string } | null> {
  const claim = secret.provenance;
  const claimed = claim?.sourceNamespace === SOURCE_NAMESPACE ? sources.find((source) => source.name === claim.sourceName) : undefined;
  if (claimed && claim) {
    const proof = await proveProvenance(deps.audit, { cluster, namespace: secret.namespace, name: secret.name, provenance: claim, credentialFingerprint: secret.credentialFingerprint });
    if (proof.proven) return { source: claimed, evidence: `copied by operation ${proof.operationId} (provenance annotations, proven against the audit log)` };
  }
  const bySignature = sources.find((source) => seedCopyNameOf(source.name, secret.namespace) === secret.name && shape(source) === shape(secret) && (source.name !== secret.name || holdsSourceKey(source)));
  if (!bySignature) return null;
  const kept = bySignature.name === secret.name ? `; the recipe keeps the name ${secret.name}, and it holds the source's own key` : "";
  return { source: bySignature, evidence: `name pattern of the seed's copy recipe (${SOURCE_NAMESPACE}/${bySignature.name} → ${secret.namespace}/${secret.name}), same registries and user${kept}` };
}

/**
 * Sorts the fleet's secrets that hold one of `oldKeys` (entry fingerprints) into
 * sources (in `default`), provable copies and the rest. A provable copy of a
 * source that holds a key IAM no longer knows (a copy left stale by an earlier
 * rotation) is refreshed too: `dead` says which keys those are.
 */
export async function classifyHolders(deps: WorkflowDeps, fleet: readonly ClusterRead[], oldKeys: ReadonlySet<string>, dead: (fingerprint: string) => boolean): Promise<Holders> {
  const holders: Holders = { sources: [], copies: [], unproven: [] };
  const holds = (secret: PullSecretDto, keys: (fingerprint: string) => boolean) => apiKeyEntries(secret).some((entry) => keys(entry.fingerprint));
  for (const { cluster, inventory } of fleet) {
    const secrets = inventory?.pullSecrets ?? [];
    const sources = secrets.filter((secret) => secret.namespace === SOURCE_NAMESPACE && holds(secret, (fp) => oldKeys.has(fp)));
    holders.sources.push(...sources.map((secret) => ({ cluster, secret })));
    for (const secret of secrets.filter((candidate) => candidate.namespace !== SOURCE_NAMESPACE && holds(candidate, (fp) => oldKeys.has(fp) || dead(fp)))) {
      const keysOf = (candidate: PullSecretDto) => new Set(apiKeyEntries(candidate).map((entry) => entry.fingerprint));
      const held = keysOf(secret);
      const sharesRotatedKey = (source: PullSecretDto) => [...keysOf(source)].some((fp) => oldKeys.has(fp) && held.has(fp));
      const evidence = await copyEvidence(deps, cluster, secret, sources, sharesRotatedKey);
      if (evidence) holders.copies.push({ cluster, secret, ...evidence });
      else if (holds(secret, (fp) => oldKeys.has(fp))) holders.unproven.push({ cluster, secret });
    }
  }
  return holders;
}
