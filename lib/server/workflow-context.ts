import "server-only";
import { isLegacySecret } from "@/lib/coverage";
import type { PullSecretInventory } from "@/lib/kube/port";
import { PUBLIC_ICR_DOMAINS } from "@/lib/registry/domains";
import { rewriteLegacyImage } from "@/lib/registry/image-ref";
import { suggestMigrationStyle } from "@/lib/workflows";

/** What the workflow forms need from a cluster's inventory: names only, never contents. */
export function workflowFormContext(inventory: PullSecretInventory) {
  const namespaces = inventory.namespaces.map((ns) => ns.name).sort();
  const byNamespace = new Map<string, string[]>();
  for (const secret of inventory.pullSecrets) byNamespace.set(secret.namespace, [...(byNamespace.get(secret.namespace) ?? []), secret.name]);
  // Source pickers: default first, then the namespaces holding most pull secrets (bounded for huge clusters).
  const sourceNamespaces = [...byNamespace.keys()].sort((a, b) => (a === "default" ? -1 : b === "default" ? 1 : (byNamespace.get(b)!.length - byNamespace.get(a)!.length) || a.localeCompare(b))).slice(0, 200);
  const sourceSecrets = Object.fromEntries(sourceNamespaces.map((ns) => [ns, byNamespace.get(ns)!.sort()]));
  const legacySecrets = inventory.pullSecrets.filter(isLegacySecret);
  const legacyImageNamespaces = [
    ...new Set(inventory.workloads.filter((w) => w.kind === "Deployment" && w.images.some((i) => rewriteLegacyImage(i.image))).map((w) => w.namespace)),
  ].sort();
  const legacyCopyNamespaces = [...new Set(legacySecrets.map((s) => s.namespace))].filter((ns) => ns !== "default" && ns !== "kube-system").sort();
  return {
    namespaces,
    sourceSecrets,
    legacySecretCount: legacySecrets.length,
    legacyImageNamespaces,
    legacyCopyNamespaces,
    suggestedStyle: suggestMigrationStyle(inventory),
    icrDomains: PUBLIC_ICR_DOMAINS.filter((domain) => !domain.startsWith("cp.")),
  };
}
