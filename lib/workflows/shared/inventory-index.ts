import { RESTARTABLE_KINDS, type PullSecretDto, type PullSecretInventory, type ServiceAccountDto, type WorkloadDto, type WorkloadRef } from "@/lib/kube/port";
import { owningWorkload } from "@/lib/kube/workloads";

/** Lookups over one cluster's inventory, built once per plan. */
export class InventoryIndex {
  readonly namespaceNames: Set<string>;
  private readonly secrets = new Map<string, PullSecretDto>();
  private readonly serviceAccounts = new Map<string, ServiceAccountDto>();
  private readonly workloadsByNamespace = new Map<string, WorkloadDto[]>();
  // Per-namespace lookups are indexed once: a plan over thousands of namespaces asks for each of them.
  private readonly labelsByNamespace = new Map<string, Record<string, string>>();
  private readonly secretsByNamespace = new Map<string, PullSecretDto[]>();

  constructor(readonly inventory: PullSecretInventory) {
    this.namespaceNames = new Set(inventory.namespaces.map((ns) => ns.name));
    for (const ns of inventory.namespaces) if (!this.labelsByNamespace.has(ns.name)) this.labelsByNamespace.set(ns.name, ns.labels);
    for (const secret of inventory.pullSecrets) {
      this.secrets.set(`${secret.namespace}/${secret.name}`, secret);
      const list = this.secretsByNamespace.get(secret.namespace) ?? [];
      list.push(secret);
      this.secretsByNamespace.set(secret.namespace, list);
    }
    for (const account of inventory.serviceAccounts) this.serviceAccounts.set(`${account.namespace}/${account.name}`, account);
    for (const workload of inventory.workloads) {
      const list = this.workloadsByNamespace.get(workload.namespace) ?? [];
      list.push(workload);
      this.workloadsByNamespace.set(workload.namespace, list);
    }
  }

  labels(namespace: string): Record<string, string> {
    return this.labelsByNamespace.get(namespace) ?? {};
  }

  secret(namespace: string, name: string): PullSecretDto | undefined {
    return this.secrets.get(`${namespace}/${name}`);
  }

  secretsIn(namespace: string): PullSecretDto[] {
    // A copy, as filter() gave: callers may sort or extend it.
    return [...(this.secretsByNamespace.get(namespace) ?? [])];
  }

  serviceAccount(namespace: string, name: string): ServiceAccountDto | undefined {
    return this.serviceAccounts.get(`${namespace}/${name}`);
  }

  workloads(namespace: string): WorkloadDto[] {
    return this.workloadsByNamespace.get(namespace) ?? [];
  }

  /**
   * Pods of `serviceAccount` that do not carry every one of `names`: the SA's
   * list reaches a pod only when the pod is created, so these keep pulling with
   * what they had until they are recreated.
   */
  podsMissing(namespace: string, serviceAccount: string, names: readonly string[]): WorkloadDto[] {
    return this.workloads(namespace).filter(
      (workload) =>
        workload.kind === "Pod" &&
        workload.serviceAccountName === serviceAccount &&
        names.some((name) => !workload.imagePullSecrets.includes(name)),
    );
  }

  /** Pods of `ref` waiting on an image pull (ErrImagePull, ImagePullBackOff, ...). */
  podsStuckOnPulls(ref: WorkloadRef): WorkloadDto[] {
    return this.workloads(ref.namespace).filter((pod) => {
      const owner = pod.kind === "Pod" && (pod.imagePullErrors?.length ?? 0) > 0 ? owningWorkload(pod) : null;
      return owner?.kind === ref.kind && owner.name === ref.name;
    });
  }

  /**
   * The Deployments, StatefulSets and DaemonSets owning `pods` whose pods would take the SA's list on a restart
   * (their template sets no imagePullSecrets of its own), ordered by kind then name.
   */
  restartableWorkloads(namespace: string, pods: readonly WorkloadDto[]): WorkloadRef[] {
    const owners = new Map<string, WorkloadRef>();
    for (const pod of pods) {
      const owner = owningWorkload(pod);
      if (owner) owners.set(`${owner.kind}/${owner.name}`, { ...owner, namespace });
    }
    return [...owners.values()]
      .filter((owner) => {
        const template = this.workloads(namespace).find((workload) => workload.kind === owner.kind && workload.name === owner.name);
        return template !== undefined && template.imagePullSecrets.length === 0;
      })
      .sort((a, b) => RESTARTABLE_KINDS.indexOf(a.kind) - RESTARTABLE_KINDS.indexOf(b.kind) || a.name.localeCompare(b.name));
  }
}

/** "managed by Helm" style wording for the preview. */
export function managedByLabel(managedBy: string | null): string | null {
  const names: Record<string, string> = {
    helm: "Helm",
    argocd: "Argo CD",
    flux: "Flux",
    replicator: "kubernetes-replicator",
    reflector: "Reflector",
    kubed: "kubed / config-syncer",
    kyverno: "Kyverno",
    "external-secrets": "External Secrets Operator",
  };
  return managedBy && managedBy !== "pullkeeper" ? (names[managedBy] ?? managedBy) : null;
}
