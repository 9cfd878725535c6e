import type { RestartableKind, WorkloadDto, WorkloadRef } from "./port";

/** Pure helpers over the restartable workload kinds (Deployment, StatefulSet, DaemonSet). */

/** apps/v1 resource names of the restartable workload kinds. */
export const WORKLOAD_RESOURCES: Record<RestartableKind, string> = { Deployment: "deployments", StatefulSet: "statefulsets", DaemonSet: "daemonsets" };

export const workloadPath = (ref: WorkloadRef) =>
  `/apis/apps/v1/namespaces/${encodeURIComponent(ref.namespace)}/${WORKLOAD_RESOURCES[ref.kind]}/${encodeURIComponent(ref.name)}`;

/** The Deployment, StatefulSet or DaemonSet that controls a pod (through its ReplicaSet for a Deployment), or null. */
export function owningWorkload(pod: Pick<WorkloadDto, "owner">): { kind: RestartableKind; name: string } | null {
  if (pod.owner?.deployment) return { kind: "Deployment", name: pod.owner.deployment };
  if (pod.owner?.kind === "StatefulSet" || pod.owner?.kind === "DaemonSet") return { kind: pod.owner.kind, name: pod.owner.name };
  return null;
}
