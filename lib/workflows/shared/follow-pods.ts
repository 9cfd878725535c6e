import { owningWorkload } from "@/lib/kube/workloads";
import type { KubeGateway, WorkloadDto, WorkloadRef } from "@/lib/kube/port";
import { causeWords, classifyPullError } from "@/lib/pulls/classify";
import { tryParseImageReference } from "@/lib/registry/image-ref";
import { WorkflowError } from "../engine/errors";

/**
 * After a restart, the new pods of a Deployment, StatefulSet or DaemonSet
 * either pull (Running) or fail again; this reads which, polling the
 * namespace's pods (one list per poll, plus the Events list an older kubelet's
 * back-off message makes necessary). Read-only and so safe to repeat after a
 * crash: the pods to follow are those the workload controls (through a
 * ReplicaSet for a Deployment) made from the restarted template (their
 * `restartedAt` annotation equals the workload's), read from the cluster
 * rather than remembered. A StatefulSet replaces its pods one at a time from
 * the highest ordinal, so "old pods left" stays above 0 until the last one.
 */

export interface PodFollowTiming {
  /** Give up after this long (default 2 minutes). */
  timeoutMs: number;
  pollMs: number;
  /** No pod created since the restart after this long: no controller acted, nothing to follow. */
  noProgressMs: number;
}

export const DEFAULT_POD_FOLLOW: PodFollowTiming = { timeoutMs: 120_000, pollMs: 2_000, noProgressMs: 15_000 };

export interface FollowOutcome {
  outcome: "running" | "no_new_pods" | "failing" | "timed_out";
  /** "2/2 pods running", "still ImagePullBackOff: us.icr.io rejected the credential". */
  summary: string;
  pods: { name: string; phase: string; pullError: string | null }[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function pullErrorOf(pod: WorkloadDto): string | null {
  const error = pod.imagePullErrors?.[0];
  if (!error) return null;
  const image = pod.images.find((i) => i.container === error.container)?.image ?? "";
  const registry = tryParseImageReference(image)?.domain ?? "the registry";
  // The pod's own secrets are all the follow step knows of its credentials: any listed counts as sent.
  const { cause } = classifyPullError({ ...error, hasCredential: pod.imagePullSecrets.length > 0, publicRegistry: registry === "docker.io" });
  return `${error.reason}: ${causeWords(cause, registry)}`;
}

/** One look at the workload's pods since `since`: an outcome when the rollout has settled, else null. */
function settle(pods: WorkloadDto[], since: string | null, desired: number): FollowOutcome | null {
  const fresh = pods.filter((p) => (p.restartedAt ?? null) === since);
  const rows = fresh.map((p) => ({ name: p.name, phase: p.phase ?? "Unknown", pullError: pullErrorOf(p) }));
  const failing = rows.filter((r) => r.pullError);
  // A fresh pod whose pull failed: the fix did not reach the registry's door (the kubelet keeps retrying; the cause stands).
  if (failing.length) return { outcome: "failing", summary: `still ${failing[0]!.pullError} (${failing.length}/${fresh.length} new pods)`, pods: rows };
  const running = rows.filter((r) => r.phase === "Running").length;
  const old = pods.length - fresh.length;
  // A StatefulSet creates its pods one by one: done only when as many as it wants run.
  if (fresh.length > 0 && fresh.length >= desired && running === fresh.length && old === 0) return { outcome: "running", summary: `${running}/${fresh.length} pods running`, pods: rows };
  return null;
}

/** Follows the pods of `ref` after its restart; throws (with the outcome as detail) when they fail again or never settle. */
export async function followWorkloadPods(kube: KubeGateway, cluster: string, ref: WorkloadRef, timing: PodFollowTiming = DEFAULT_POD_FOLLOW): Promise<FollowOutcome> {
  const [workload] = await kube.readObjects(cluster, [{ kind: ref.kind, namespace: ref.namespace, name: ref.name }]);
  if (!workload || !("kind" in workload) || workload.kind !== ref.kind) {
    throw new WorkflowError("precondition_failed", `${ref.kind} ${ref.namespace}/${ref.name} no longer exists: there are no pods to follow.`);
  }
  const since = workload.restartedAt ?? null;
  const ownedByRef = (pod: WorkloadDto) => {
    const owner = owningWorkload(pod);
    return owner?.kind === ref.kind && owner.name === ref.name;
  };
  const started = Date.now();
  let last: WorkloadDto[] = [];
  for (;;) {
    last = (await kube.readPods(cluster, ref.namespace)).filter(ownedByRef);
    const done = settle(last, since, workload.desiredPods ?? 1);
    if (done?.outcome === "running") return done;
    if (done) throw Object.assign(new WorkflowError("rejected", `${ref.namespace}/${ref.name}: ${done.summary}`), { detail: { ...done } });
    const elapsed = Date.now() - started;
    const fresh = last.filter((p) => (p.restartedAt ?? null) === since);
    if (fresh.length === 0 && elapsed >= timing.noProgressMs) {
      return { outcome: "no_new_pods", summary: `no pod was created within ${Math.round(timing.noProgressMs / 1000)} s of the restart: nothing to follow`, pods: [] };
    }
    if (elapsed >= timing.timeoutMs) {
      const running = fresh.filter((p) => p.phase === "Running").length;
      const summary = `still rolling out after ${Math.round(timing.timeoutMs / 1000)} s: ${running}/${fresh.length} new pods running, ${last.length - fresh.length} old pods left`;
      throw Object.assign(new WorkflowError("precondition_failed", `${ref.namespace}/${ref.name}: ${summary}`), { detail: { outcome: "timed_out", summary } });
    }
    await sleep(timing.pollMs);
  }
}
