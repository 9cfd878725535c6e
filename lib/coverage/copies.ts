import type { PullSecretDto, PullSecretInventory } from "@/lib/kube/port";
import type { CoverageFinding, KeyOwnerFact } from "./types";

/** What copy detection needs of the inventory index: one namespace's secrets, by name. */
export interface CopyIndex {
  secrets: PullSecretDto[];
  byName: Map<string, PullSecretDto>;
}

/**
 * The name the seed's recipe gives a copy: `kubectl get secret <src> -n default -o yaml
 * | sed 's/default/<ns>/g' | kubectl create -n <ns> -f -` replaces every "default",
 * so `default-us-icr-io` becomes `<ns>-us-icr-io` and `all-icr-io` keeps its name.
 */
export function seedCopyNameOf(sourceName: string, namespace: string): string {
  return sourceName.split("default").join(namespace);
}

// Keyed by the entry list, which an inventory read shares between the copies of a secret.
const shapes = new WeakMap<PullSecretDto["registries"], string>();

function credentialShape(s: PullSecretDto): string {
  let shape = shapes.get(s.registries);
  if (shape === undefined) {
    shape = s.registries
      .map((e) => `${e.registry}\u0000${e.username}`)
      .sort()
      .join("\n");
    shapes.set(s.registries, shape);
  }
  return shape;
}

function serviceIdOf(fact: KeyOwnerFact | undefined): string | null {
  return fact?.status === "found" ? fact.serviceId : null;
}

/**
 * What IAM said about a secret's API key, from its `iamapikey` entries (keyed by
 * their own fingerprints): one owner when every entry names the same service ID,
 * `unknown` when IAM knows none of them, undefined when not (or not all) looked up.
 */
function secretKeyOwner(s: PullSecretDto, keyOwners: ReadonlyMap<string, KeyOwnerFact>): KeyOwnerFact | undefined {
  const facts = [...new Set(s.registries.filter((e) => e.credentialKind === "iam-api-key").map((e) => e.fingerprint))].map((fp) => keyOwners.get(fp));
  if (facts.length === 0 || facts.some((f) => f === undefined)) return undefined;
  if (facts.every((f) => f?.status === "unknown")) return { status: "unknown" };
  const owners = new Set(facts.map(serviceIdOf));
  const [only] = owners;
  return owners.size === 1 && only !== null && only !== undefined ? { status: "found", serviceId: only } : undefined;
}

/**
 * Copies of the source namespace's IKS secrets, and whether each still holds its
 * source's key. A copy is known by its provenance annotations (`annotation`), by
 * IAM saying its key belongs to the source's service ID (`iam`), or by the seed
 * recipe's exact signature: its name, registries and users (`name_pattern`).
 * It is stale when its key differs from the source's, unless IAM says the key
 * belongs to another service ID: that is an independent credential (a team's own,
 * least-privilege service ID), never a stale copy.
 */
export function copyFindings(inv: PullSecretInventory, index: Map<string, CopyIndex>, sourceNamespace: string, keyOwners: ReadonlyMap<string, KeyOwnerFact>): CoverageFinding[] {
  const out: CoverageFinding[] = [];
  // What IAM says depends on the entries alone, which copies of equal content share (lib/kube): asked once per list.
  const owners = new Map<PullSecretDto["registries"], KeyOwnerFact | undefined>();
  const owner = (secret: PullSecretDto) => {
    if (!owners.has(secret.registries)) owners.set(secret.registries, secretKeyOwner(secret, keyOwners));
    return owners.get(secret.registries);
  };
  const sources = (index.get(sourceNamespace)?.secrets ?? []).filter((s) => s.credentialFingerprint !== null && s.registries.some((e) => e.credentialKind === "iam-api-key"));
  for (const s of inv.pullSecrets) {
    if (s.copyOf) {
      const src = index.get(s.copyOf.namespace)?.byName.get(s.copyOf.name);
      if (!src) {
        out.push({ type: "orphaned_copy", cluster: inv.cluster, namespace: s.namespace, secret: s.name, source: { namespace: s.copyOf.namespace, name: s.copyOf.name } });
      } else if (src.credentialFingerprint !== s.credentialFingerprint) {
        out.push(staleCopy(inv.cluster, s, src, "annotation", owner(s)));
      }
      continue;
    }
    if (s.namespace === sourceNamespace || s.credentialFingerprint === null) continue;
    const shape = credentialShape(s);
    const candidates = sources.filter((src) => credentialShape(src) === shape);
    if (candidates.some((c) => c.credentialFingerprint === s.credentialFingerprint)) continue;
    const mine = owner(s);
    const sameServiceId = candidates.find((src) => {
      const theirs = serviceIdOf(owner(src));
      return theirs !== null && theirs === serviceIdOf(mine);
    });
    if (sameServiceId) {
      out.push(staleCopy(inv.cluster, s, sameServiceId, "iam", mine));
      continue;
    }
    const bySignature = candidates.find((src) => seedCopyNameOf(src.name, s.namespace) === s.name);
    // IAM naming another service ID as the owner overrides the name: that key was put there on purpose.
    if (!bySignature || serviceIdOf(mine) !== null) continue;
    out.push(staleCopy(inv.cluster, s, bySignature, "name_pattern", mine));
  }
  return out;
}

function staleCopy(cluster: string, copy: PullSecretDto, source: PullSecretDto, evidence: "annotation" | "iam" | "name_pattern", copyKey: KeyOwnerFact | undefined): CoverageFinding {
  return {
    type: "stale_copy",
    cluster,
    namespace: copy.namespace,
    secret: copy.name,
    source: { namespace: source.namespace, name: source.name },
    evidence,
    keyUnknownToIam: copyKey?.status === "unknown",
    copyFingerprint: copy.credentialFingerprint,
    sourceFingerprint: source.credentialFingerprint,
  };
}
