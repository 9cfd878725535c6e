import type { PullSecretInventory } from "@/lib/kube/port";
import { matchingNamespaces } from "./match";
import { ruleAppliesToCluster, type KeepingRule } from "./spec";

/**
 * The registries active keeping rules require, per namespace of this cluster:
 * what makes a registry "needed" in the coverage matrix (lib/coverage) even
 * where no workload pulls from it yet. Paused rules require nothing.
 */
export function ruleRequirements(rules: readonly KeepingRule[], inventory: PullSecretInventory, clusterLabels: Readonly<Record<string, string>>): Map<string, Set<string>> {
  const required = new Map<string, Set<string>>();
  const cluster = { name: inventory.cluster, labels: clusterLabels };
  for (const rule of rules) {
    if (rule.paused || !ruleAppliesToCluster(rule.spec, cluster)) continue;
    for (const namespace of matchingNamespaces(rule.spec, inventory.namespaces)) {
      const set = required.get(namespace) ?? new Set<string>();
      for (const registry of rule.spec.registries) set.add(registry);
      required.set(namespace, set);
    }
  }
  return required;
}
