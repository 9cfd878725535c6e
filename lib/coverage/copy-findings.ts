import type { PullSecretDto, PullSecretInventory } from "@/lib/kube/port";
import type { NamespaceIndex } from "./inventory-index";
import type { CoverageFinding } from "./types";

function credentialShape(s: PullSecretDto): string {
  return s.registries
    .map((e) => `${e.registry}\u0000${e.username}`)
    .sort()
    .join("\n");
}

/** `stale_copy` and `orphaned_copy` findings: copies that name their source, then un-annotated copies matched by content. */
export function copyFindings(inv: PullSecretInventory, index: Map<string, NamespaceIndex>, sourceNamespace: string): CoverageFinding[] {
  const out: CoverageFinding[] = [];
  const sources = (index.get(sourceNamespace)?.secrets ?? []).filter((s) => s.credentialFingerprint !== null && s.registries.some((e) => e.credentialKind === "iam-api-key"));
  const sourcesByShape = new Map<string, PullSecretDto[]>();
  for (const s of sources) {
    const k = credentialShape(s);
    sourcesByShape.set(k, [...(sourcesByShape.get(k) ?? []), s]);
  }
  for (const s of inv.pullSecrets) {
    if (s.copyOf) {
      const src = index.get(s.copyOf.namespace)?.byName.get(s.copyOf.name);
      if (!src) {
        out.push({ type: "orphaned_copy", cluster: inv.cluster, namespace: s.namespace, secret: s.name, source: { namespace: s.copyOf.namespace, name: s.copyOf.name } });
      } else if (src.credentialFingerprint !== s.credentialFingerprint) {
        out.push({ type: "stale_copy", cluster: inv.cluster, namespace: s.namespace, secret: s.name, source: { namespace: src.namespace, name: src.name }, evidence: "annotation", copyFingerprint: s.credentialFingerprint, sourceFingerprint: src.credentialFingerprint });
      }
      continue;
    }
    if (s.namespace === sourceNamespace || s.credentialFingerprint === null) continue;
    // Un-annotated copies (the seed's sed recipe): same registries and usernames as an IKS source.
    const candidates = sourcesByShape.get(credentialShape(s));
    if (!candidates || candidates.some((c) => c.credentialFingerprint === s.credentialFingerprint)) continue;
    const src = candidates[0];
    if (!src) continue;
    out.push({ type: "stale_copy", cluster: inv.cluster, namespace: s.namespace, secret: s.name, source: { namespace: src.namespace, name: src.name }, evidence: "content", copyFingerprint: s.credentialFingerprint, sourceFingerprint: src.credentialFingerprint });
  }
  return out;
}
