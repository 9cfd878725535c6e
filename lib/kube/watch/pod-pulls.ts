import type { V1Pod } from "@kubernetes/client-node";
import { imageDomain } from "@/lib/registry/image-ref";
import { toPodDto, type Wire } from "../mappers";
import type { WatchChange } from "./port";

/**
 * Which pod changes alter what a cluster's scan shows, so a consumer rescans
 * only for those and not for every pod event of a busy cluster: a pod starting
 * or stopping to fail its image pull (ErrImagePull, ImagePullBackOff, …), a
 * failing pod going away, and a pod pulling from a registry no pod of its
 * namespace pulled from before (the registry becomes needed there, which turns
 * matrix cells). A rollout of pods that pull fine from registries already
 * seen, restarts and status churn are not.
 *
 * Memory stays small whatever the pod count: the keys of the pods failing now,
 * and per namespace the registries its pods pull from. Pure; fed with every
 * change (namespaces too: a deleted namespace's entries are dropped).
 */
export interface PodPullTracker {
  /** Records the change; true when it alters what a scan shows. What a watch's first list found is recorded, never "a change". */
  observe(change: WatchChange): boolean;
  /** Drops what is known of a cluster (it left the watched set). */
  forget(cluster: string): void;
  /** What is held, for tests and a status page. */
  size(): { failingPods: number; namespaceRegistries: number };
}

interface ClusterState {
  failing: Set<string>;
  registries: Map<string, Set<string>>;
}

export function createPodPullTracker(): PodPullTracker {
  const clusters = new Map<string, ClusterState>();
  const stateOf = (cluster: string): ClusterState => {
    let state = clusters.get(cluster);
    if (!state) clusters.set(cluster, (state = { failing: new Set(), registries: new Map() }));
    return state;
  };

  function namespaceGone(state: ClusterState, namespace: string): void {
    state.registries.delete(namespace);
    for (const key of state.failing) if (key.startsWith(`${namespace}/`)) state.failing.delete(key);
  }

  return {
    observe(change) {
      const state = stateOf(change.cluster);
      if (change.resource === "namespaces") {
        if (change.type === "deleted") namespaceGone(state, change.name);
        return false;
      }
      if (change.resource !== "pods" || !change.namespace) return false;
      const key = `${change.namespace}/${change.name}`;
      const counts = !change.firstList;
      if (change.type === "deleted") return state.failing.delete(key) && counts;
      // Pods' watch events and lists carry the object; without it nothing can be told, so look again.
      if (!change.object) return counts;
      const pod = toPodDto(change.cluster, change.object as Wire<V1Pod>);
      const failingNow = (pod.imagePullErrors?.length ?? 0) > 0;
      const failingBefore = state.failing.has(key);
      if (failingNow) state.failing.add(key);
      else state.failing.delete(key);
      let pulled = state.registries.get(change.namespace);
      if (!pulled) state.registries.set(change.namespace, (pulled = new Set()));
      let newRegistry = false;
      for (const { image } of pod.images) {
        const registry = imageDomain(image);
        if (registry === undefined || pulled.has(registry)) continue;
        pulled.add(registry);
        newRegistry = true;
      }
      return counts && (failingNow !== failingBefore || newRegistry);
    },
    forget: (cluster) => void clusters.delete(cluster),
    size() {
      let failingPods = 0;
      let namespaceRegistries = 0;
      for (const state of clusters.values()) {
        failingPods += state.failing.size;
        for (const set of state.registries.values()) namespaceRegistries += set.size;
      }
      return { failingPods, namespaceRegistries };
    },
  };
}
