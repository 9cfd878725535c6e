import type { PullSecretDto, PullSecretInventory, ServiceAccountDto, WorkloadDto } from "@/lib/kube/port";

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

  /** Deployments whose pods would take the SA's list on a restart (their template sets no imagePullSecrets of its own). */
  restartableDeployments(namespace: string, pods: readonly WorkloadDto[]): string[] {
    const deployments = new Set(pods.map((pod) => pod.owner?.deployment).filter((name): name is string => Boolean(name)));
    return [...deployments]
      .filter((name) => {
        const deployment = this.workloads(namespace).find((workload) => workload.kind === "Deployment" && workload.name === name);
        return deployment !== undefined && deployment.imagePullSecrets.length === 0;
      })
      .sort();
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
