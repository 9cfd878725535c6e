import type { PullSecretDto, PullSecretInventory } from "@/lib/kube/port";
import { classifyHost } from "@/lib/registry/domains";
import { imageDomain } from "@/lib/registry/image-ref";
import type { SecretGrader } from "./grading";
import { isSystemNamespace } from "./system-namespaces";
import type { NeedReason, WorkloadRef } from "./types";

/** Per namespace, per registry: why it is needed there. A registry absent from a namespace's map is not needed. */
export type RegistryNeeds = ReadonlyMap<string, ReadonlyMap<string, NeedReason[]>>;

export interface NeedInputs {
  domains: readonly string[];
  sourceNamespace: string;
  /** The source namespace's pull secrets (the ones IKS made). */
  sourceSecrets: readonly PullSecretDto[];
  requiredRegistries: ReadonlyMap<string, ReadonlySet<string>>;
  iksConvention: boolean;
  grader: SecretGrader;
}

/**
 * Which registries each namespace needs: the ones its workloads pull from (every
 * pod, failing or not, and every Deployment), the ones a keeping rule requires,
 * and, by the IKS convention, every icr.io domain the source namespace holds a
 * current credential for (IKS creates them in `default` for the cluster to copy
 * everywhere), except in the platform's own namespaces. Pure.
 */
export function registryNeeds(inv: PullSecretInventory, inputs: NeedInputs): RegistryNeeds {
  const reported = new Set(inputs.domains);
  const out = new Map<string, Map<string, NeedReason[]>>();
  const reasons = (namespace: string, registry: string) => {
    let perNamespace = out.get(namespace);
    if (!perNamespace) {
      perNamespace = new Map();
      out.set(namespace, perNamespace);
    }
    let list = perNamespace.get(registry);
    if (!list) {
      list = [];
      perNamespace.set(registry, list);
    }
    return list;
  };

  const pulledBy = new Map<string, Map<string, WorkloadRef[]>>();
  for (const w of inv.workloads) {
    const registries = new Set(w.images.flatMap(({ image }) => imageDomain(image) ?? []));
    for (const registry of registries) {
      if (!reported.has(registry)) continue;
      const perNamespace = pulledBy.get(w.namespace) ?? new Map<string, WorkloadRef[]>();
      pulledBy.set(w.namespace, perNamespace);
      const list = perNamespace.get(registry);
      if (list) list.push({ kind: w.kind, name: w.name });
      else perNamespace.set(registry, [{ kind: w.kind, name: w.name }]);
    }
  }
  for (const [namespace, perNamespace] of pulledBy) for (const [registry, workloads] of perNamespace) reasons(namespace, registry).push({ kind: "workload", workloads });

  for (const [namespace, registries] of inputs.requiredRegistries) for (const registry of registries) reasons(namespace, registry).push({ kind: "rule" });

  if (inputs.iksConvention) {
    const held = inputs.domains.filter((d) => classifyHost(d) === "icr" && inputs.grader.best(inputs.sourceSecrets, d) === "usable");
    // One reason object for every namespace: it says the same thing everywhere.
    const convention: NeedReason = { kind: "convention", sourceNamespace: inputs.sourceNamespace };
    // Namespaces only the convention makes need anything (most of a large cluster) share one map of frozen lists,
    // so coverage can share their rows of cells too (compute.ts).
    const conventionOnly = new Map(held.map((registry) => [registry, Object.freeze([convention]) as unknown as NeedReason[]]));
    for (const ns of inv.namespaces) {
      // The platform's own namespaces pull with its own access; a workload or a rule there still makes a registry needed.
      if (isSystemNamespace(ns.name) || held.length === 0) continue;
      const own = out.get(ns.name);
      if (own === conventionOnly) continue; // a namespace listed twice
      if (own) for (const registry of held) reasons(ns.name, registry).push(convention);
      else out.set(ns.name, conventionOnly);
    }
  }
  return out;
}
