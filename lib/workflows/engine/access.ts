import type { KubeGateway } from "@/lib/kube/port";

export interface AccessNeed {
  verb: string;
  resource: string;
  group?: string;
  namespace: string;
}

/**
 * Answers "may the cluster identity do this?" with SelfSubjectAccessReview
 * before anything is written, asking cluster-wide first so a cluster admin costs
 * one review per verb, not one per namespace.
 */
export class AccessChecker {
  private readonly cache = new Map<string, Promise<{ allowed: boolean; reason: string | null }>>();

  constructor(
    private readonly kube: KubeGateway,
    private readonly cluster: string,
  ) {}

  async check(need: AccessNeed): Promise<{ allowed: boolean; reason: string | null }> {
    const clusterWide = await this.review({ ...need, namespace: undefined });
    if (clusterWide.allowed) return clusterWide;
    const scoped = await this.review(need);
    return scoped.allowed
      ? scoped
      : {
          allowed: false,
          reason: `Your cluster credentials may not ${need.verb} ${need.resource} in namespace ${need.namespace}${scoped.reason ? ` (${scoped.reason})` : ""}.`,
        };
  }

  private review(need: Omit<AccessNeed, "namespace"> & { namespace: string | undefined }) {
    const key = `${need.verb}|${need.group ?? ""}|${need.resource}|${need.namespace ?? "*"}`;
    let pending = this.cache.get(key);
    if (!pending) {
      pending = this.kube
        .canI(this.cluster, { verb: need.verb, resource: need.resource, group: need.group ?? "", ...(need.namespace ? { namespace: need.namespace } : {}) })
        .catch(() => ({ allowed: false, reason: "the access review could not be completed" }));
      this.cache.set(key, pending);
    }
    return pending;
  }
}
