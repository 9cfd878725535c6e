import type { PullSecretInventory } from "@/lib/kube/port";
import type { NotificationEvent } from "@/lib/notifications/events";
import { analysePulls } from "./analyse";

/** At most this many events per scan: one per namespace and cause, and a flood of namespaces is cut here. */
const MAX_EVENTS = 20;
/** Pods listed per event. */
const MAX_PODS = 10;

/**
 * `pod.pull_failing` events for pods that fail to pull now and did not in the
 * previous scan of the cluster (`known`: the keys of the pods failing then),
 * one event per namespace and cause. Returns the keys failing now, to pass
 * as `known` next time. Latent pods are counted on the pages, not notified.
 * The first scan of a cluster after a start knows nothing: it reports every
 * failing pod once, which is what a restarted Pullkeeper should say.
 */
export function newPullFailureEvents(inventory: PullSecretInventory, known: ReadonlySet<string>, occurredAt: string): { events: NotificationEvent[]; failing: Set<string> } {
  const failing = new Set<string>();
  const groups = new Map<string, { namespace: string; cause: string; pods: Array<{ name: string; image: string; message: string }> }>();
  for (const problem of analysePulls(inventory).problems) {
    if (problem.state !== "failing") continue;
    const key = `${problem.namespace}/${problem.pod}`;
    failing.add(key);
    if (known.has(key)) continue;
    const groupKey = `${problem.namespace}|${problem.cause}`;
    const group = groups.get(groupKey) ?? { namespace: problem.namespace, cause: problem.cause, pods: [] };
    if (group.pods.length < MAX_PODS && !group.pods.some((pod) => pod.name === problem.pod)) {
      group.pods.push({ name: problem.pod, image: problem.image, message: problem.error ?? problem.reason ?? problem.cause });
    }
    groups.set(groupKey, group);
  }
  const events: NotificationEvent[] = [...groups.values()].slice(0, MAX_EVENTS).map((group) => ({
    type: "pod.pull_failing", occurredAt, data: { cluster: inventory.cluster, namespace: group.namespace, cause: group.cause, pods: group.pods },
  }));
  return { events, failing };
}
