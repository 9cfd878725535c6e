import type { NamespaceDetail, PullSecretView, WorkloadView } from "@/lib/api/namespace";
import { isLegacySecret } from "@/lib/coverage/grading";
import { countedState } from "@/lib/coverage/summary";
import type { ClusterCoverage, CoverageFinding } from "@/lib/coverage/types";
import type { PullSecretDto, PullSecretInventory, ServiceAccountDto, WorkloadDto } from "@/lib/kube/port";
import { classifyHost, registryKeyMatches } from "@/lib/registry/domains";
import { tryParseImageReference } from "@/lib/registry/image-ref";
import { analysePulls, groupProblems } from "@/lib/pulls";
import type { VerificationLookup } from "./matrix";
import { indexNamespaces, type NamespaceIndex } from "./namespace-index";
import { NEVER_VERIFIED } from "./verification-state";

function copyState(secret: PullSecretDto, findings: readonly CoverageFinding[]): PullSecretView["copyState"] {
  const about = findings.find((f) => (f.type === "stale_copy" || f.type === "orphaned_copy") && f.namespace === secret.namespace && f.secret === secret.name);
  if (about?.type === "orphaned_copy") return "orphaned";
  if (about?.type === "stale_copy") return "stale";
  return secret.copyOf ? "fresh" : null;
}

/** The secret a copy finding names, when it is inferred from content rather than annotated. */
function inferredSource(secret: PullSecretDto, findings: readonly CoverageFinding[]): { namespace: string; name: string } | null {
  const f = findings.find((x) => x.type === "stale_copy" && x.namespace === secret.namespace && x.secret === secret.name);
  return f?.type === "stale_copy" ? f.source : null;
}

/** Who names each secret in its imagePullSecrets, as `Kind/name`. */
function referencesBySecret(serviceAccounts: readonly ServiceAccountDto[], workloads: readonly WorkloadDto[]): Map<string, string[]> {
  const usedBy = new Map<string, string[]>();
  const reference = (secret: string, by: string) => usedBy.set(secret, [...(usedBy.get(secret) ?? []), by]);
  for (const sa of serviceAccounts) for (const n of new Set(sa.imagePullSecrets)) reference(n, `ServiceAccount/${sa.name}`);
  for (const w of workloads) for (const n of new Set(w.imagePullSecrets)) reference(n, `${w.kind}/${w.name}`);
  return usedBy;
}

/** A registry is private when it is IBM's or any pull secret in the cluster holds a key for it. */
function privateRegistryTest(secretRegistries: readonly string[]): (registry: string) => boolean {
  return (registry) => {
    const g = classifyHost(registry);
    return g === "icr" || g === "legacy-icr" || secretRegistries.some((k) => registryKeyMatches(k, registry));
  };
}

/** A workload with each image's registry and whether it can be pulled, and the restart it needs. */
function workloadView(w: WorkloadDto, findings: readonly CoverageFinding[], isPrivate: (registry: string) => boolean): WorkloadView {
  const risk = findings.find((f) => f.type === "image_pull_at_risk" && f.workload.kind === w.kind && f.workload.name === w.name);
  const restart = findings.find((f) => f.type === "restart_needed" && f.workload.kind === w.kind && f.workload.name === w.name);
  return {
    kind: w.kind,
    name: w.name,
    serviceAccount: w.serviceAccountName,
    ownPullSecrets: w.imagePullSecrets,
    images: w.images.map((img) => {
      const registry = tryParseImageReference(img.image)?.domain ?? null;
      const at = risk?.type === "image_pull_at_risk" ? risk.images.find((r) => r.image === img.image) : undefined;
      return {
        container: img.container,
        init: img.init,
        image: img.image,
        registry,
        group: registry ? classifyHost(registry) : null,
        pull: at ? "at_risk" : registry && isPrivate(registry) ? "ok" : "public",
        reason: at?.reason ?? null,
        successor: at?.successor ?? null,
      };
    }),
    phase: w.phase ?? null,
    imagePullErrors: w.imagePullErrors ?? [],
    restart: restart?.type === "restart_needed" ? { missingSecrets: restart.missingSecrets, restartFixes: restart.restartFixes, owner: restart.owner ?? null } : null,
    managedBy: w.managedBy,
  };
}

/**
 * Everything the namespace page shows, from one scan: pull secrets (no values),
 * service accounts with dangling references flagged, workloads with each
 * image's registry and whether it can be pulled, and the coverage row. Returns
 * null when the namespace is not in the inventory.
 */
export function buildNamespaceDetail(
  coverage: ClusterCoverage,
  inventory: PullSecretInventory,
  namespace: string,
  lookup: VerificationLookup,
  index: NamespaceIndex = indexNamespaces(coverage, inventory),
): NamespaceDetail | null {
  const slice = index.slice(namespace);
  if (!slice) return null;
  const { namespace: ns, row, findings, secrets, serviceAccounts, workloads } = slice;
  const secretNames = new Set(secrets.map((s) => s.name));
  const byName = new Map(secrets.map((s) => [s.name, s]));
  const entryView = (s: PullSecretDto) =>
    s.registries.map((e) => ({ ...e, verification: lookup({ domain: e.registry, username: e.username, fingerprint: e.fingerprint }), keyOwner: null }));

  const usedBy = referencesBySecret(serviceAccounts, workloads);
  const isPrivate = privateRegistryTest(index.secretRegistries);
  // The pull analysis reads only this namespace's pods and secrets (pods name secrets of their own namespace only).
  const own: PullSecretInventory = { ...inventory, pullSecrets: secrets, serviceAccounts, workloads };

  return {
    cluster: inventory.cluster,
    namespace,
    labels: ns.labels,
    createdAt: ns.createdAt,
    hasDefaultServiceAccount: row.hasDefaultServiceAccount,
    unreadable: slice.unreadable,
    coverage: row.domains.map((d) => ({
      registry: d.registry,
      group: d.group,
      state: countedState(d),
      neededBecause: d.neededBecause,
      rejection: d.rejection,
      secrets: d.secrets.map((name) => {
        const states = (byName.get(name)?.registries ?? [])
          .filter((e) => registryKeyMatches(e.registry, d.registry))
          .map((e) => lookup({ domain: e.registry, username: e.username, fingerprint: e.fingerprint }));
        return { name, verification: states.find((v) => v.status !== "never") ?? NEVER_VERIFIED };
      }),
    })),
    pullSecrets: secrets
      .map((s) => ({
        name: s.name,
        type: s.type,
        entries: entryView(s),
        credentialFingerprint: s.credentialFingerprint,
        parseError: s.parseError?.message ?? null,
        createdAt: s.createdAt,
        managedBy: s.managedBy,
        deletable: s.managedBy === "pullkeeper" && Boolean(s.provenance?.operationId),
        legacy: isLegacySecret(s),
        copyOf: s.copyOf ? { namespace: s.copyOf.namespace, name: s.copyOf.name } : inferredSource(s, findings),
        copyState: copyState(s, findings),
        usedBy: usedBy.get(s.name) ?? [],
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    serviceAccounts: serviceAccounts
      .map((sa) => ({ name: sa.name, pullSecrets: sa.imagePullSecrets.map((name) => ({ name, exists: secretNames.has(name) })), managedBy: sa.managedBy, createdAt: sa.createdAt }))
      .sort((a, b) => (a.name === "default" ? -1 : b.name === "default" ? 1 : a.name.localeCompare(b.name))),
    workloads: workloads
      .map((w) => workloadView(w, findings, isPrivate))
      .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name)),
    danglingReferences: findings.flatMap((f) => (f.type === "dangling_reference" ? [{ referencedBy: `${f.referencedBy.kind}/${f.referencedBy.name}`, secret: f.secret }] : [])),
    pulls: groupProblems(analysePulls(own, { verdicts: (key) => lookup(key).status, secretRegistries: index.secretRegistries }).problems),
  };
}
