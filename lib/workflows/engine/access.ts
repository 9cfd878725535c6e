import type { KubeGateway } from "@/lib/kube/port";
import { restartTarget, type Plan, type StepOp, type WorkloadRefDto } from "./plan";

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

/** The permission a step's write needs (what the planners asked when they planned it), or null for steps that write nothing in the cluster. */
export function accessNeedOf(op: StepOp): AccessNeed | null {
  switch (op.type) {
    case "secret.create":
    case "secret.copy":
      return { verb: "create", resource: "secrets", namespace: op.type === "secret.copy" ? op.to.namespace : op.ref.namespace };
    case "secret.refresh_copy":
      return { verb: "update", resource: "secrets", namespace: op.to.namespace };
    case "secret.rotate_key":
    case "secret.restore_key":
      return { verb: "update", resource: "secrets", namespace: op.ref.namespace };
    case "secret.delete":
      return { verb: "delete", resource: "secrets", namespace: op.ref.namespace };
    case "service_account.add":
    case "service_account.remove":
      return { verb: "patch", resource: "serviceaccounts", namespace: op.namespace };
    case "deployment.rewrite_images":
      return { verb: "patch", resource: "deployments", group: "apps", namespace: op.ref.namespace };
    case "workload.restart":
    case "deployment.restart":
      return restartAccessNeed(restartTarget(op));
    default:
      return null;
  }
}

const WORKLOAD_RESOURCE: Record<WorkloadRefDto["kind"], string> = { Deployment: "deployments", StatefulSet: "statefulsets", DaemonSet: "daemonsets" };

/** A restart patches the workload's template: `patch` on its apps/v1 resource. */
export function restartAccessNeed(ref: WorkloadRefDto): AccessNeed {
  return { verb: "patch", resource: WORKLOAD_RESOURCE[ref.kind], group: "apps", namespace: ref.namespace };
}

/**
 * Evaluates, once, every permission the plan's changes need (a cluster admin
 * costs one review per verb): true when all are still granted.
 */
export async function changesStillAllowed(plan: Pick<Plan, "cluster" | "steps">, kube: KubeGateway): Promise<boolean> {
  const checker = new AccessChecker(kube, plan.cluster);
  const needs = plan.steps.flatMap((step) => (step.status === "change" ? (accessNeedOf(step.op) ?? []) : []));
  const decisions = await Promise.all(needs.map((need) => checker.check(need)));
  return decisions.every((decision) => decision.allowed);
}
