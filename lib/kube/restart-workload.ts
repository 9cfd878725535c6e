import "server-only";
import { PatchStrategy, type V1Pod, type V1StatefulSet } from "@kubernetes/client-node";
import { isKubeError, KubeError } from "./errors";
import { toPodDto, type Wire } from "./mappers";
import type { WorkloadRef, WorkloadRestart } from "./port";
import { writeQuery, type WriteContext } from "./writes";
import { WORKLOAD_RESOURCES, workloadPath } from "./workloads";

/**
 * What `kubectl rollout restart` sends, for a Deployment, StatefulSet or DaemonSet: a strategic merge patch of the
 * template's restartedAt annotation (RFC 3339, seconds). An OrderedReady StatefulSet's controller stops at the first
 * pod that is not Ready and so never replaces one stuck on its image pull (kubernetes/kubernetes#67250; the
 * StatefulSet docs' "forced rollback"): those pods, and only those, are deleted so it recreates them from the new
 * template. A pod that never pulled its image ran nothing, so deleting it loses nothing. A delete that is forbidden
 * fails the restart (the template changed, but nothing will act on it).
 */
export async function restartWorkload(w: WriteContext, ref: WorkloadRef, opts?: { at?: Date }): Promise<WorkloadRestart> {
  const restartedAt = (opts?.at ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z");
  const body = { spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": restartedAt } } } } };
  const object = `${WORKLOAD_RESOURCES[ref.kind]}/${ref.name}`;
  const patched = await w.t.request<Wire<V1StatefulSet>>({ method: "PATCH", path: workloadPath(ref), query: writeQuery(w), body, contentType: PatchStrategy.StrategicMergePatch, ctx: { namespace: ref.namespace, object }, idempotent: false });
  if (ref.kind !== "StatefulSet" || patched.spec?.podManagementPolicy === "Parallel") return { restartedAt, deletedStuckPods: [] };
  return { restartedAt, ...(await deleteStuckStatefulSetPods(w, ref, patched)) };
}

async function deleteStuckStatefulSetPods(w: WriteContext, ref: WorkloadRef, set: Wire<V1StatefulSet>): Promise<Pick<WorkloadRestart, "deletedStuckPods">> {
  const selector = Object.entries(set.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(",");
  const list = await w.t.request<{ items?: Wire<V1Pod>[] }>({
    method: "GET",
    path: `/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/pods`,
    ...(selector ? { query: { labelSelector: selector } } : {}),
    ctx: { namespace: ref.namespace, object: "pods" },
    idempotent: true,
  });
  const stuck = (list.items ?? []).filter(
    (pod) =>
      (pod.metadata?.ownerReferences ?? []).some((o) => o.controller && o.uid === set.metadata?.uid) &&
      toPodDto(w.t.cluster, pod).imagePullErrors?.length,
  );
  const deletedStuckPods: string[] = [];
  for (const pod of stuck) {
    const name = pod.metadata?.name ?? "";
    try {
      await w.t.request({
        method: "DELETE",
        path: `/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/pods/${encodeURIComponent(name)}`,
        body: { preconditions: { uid: pod.metadata?.uid } },
        ctx: { namespace: ref.namespace, object: `pods/${name}` },
        idempotent: false,
      });
      deletedStuckPods.push(name);
    } catch (e) {
      if (isKubeError(e) && e.kind === "not_found") continue; // gone already (the controller or someone else)
      if (isKubeError(e) && e.kind === "forbidden") {
        // The template changed but the StatefulSet will not act on it: the restart did not take effect.
        throw new KubeError("forbidden", `StatefulSet ${ref.namespace}/${ref.name} was patched, but its pod ${name} is stuck on its image pull and may not be deleted (${e.message}); the StatefulSet will not replace it until it is.`, { cluster: w.t.cluster, namespace: ref.namespace, object: `pods/${name}` });
      }
      throw e;
    }
  }
  return { deletedStuckPods };
}
