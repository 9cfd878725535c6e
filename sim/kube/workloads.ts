import { DaemonSetController } from "./daemonsets";
import { DeploymentController } from "./deployments";
import { EventRecorder } from "./events";
import { Kubelet } from "./kubelet";
import { StatefulSetController } from "./statefulsets";
import type { Store } from "./store";
import type { KubeletOptions } from "./types";

/**
 * Starts the workload controllers (Deployments, StatefulSets, DaemonSets) and
 * the kubelet on a store: they take over the seeded pods and workloads, then
 * follow every change.
 */
export function startWorkloads(store: Store, opts: KubeletOptions, serverMinor: number): { close(): void } {
  const events = new EventRecorder(store);
  const kubelet = new Kubelet(store, events, opts, serverMinor);
  const controllers = [
    new DeploymentController(store, events),
    new StatefulSetController(store, events, serverMinor),
    new DaemonSetController(store, events, () => kubelet.nodeNames()),
  ];
  const unsubscribe = store.subscribe((e) => {
    for (const c of controllers) c.onEvent(e);
    kubelet.onEvent(e);
  });
  kubelet.adoptAll();
  for (const c of controllers) c.enqueueAll();
  return {
    close() {
      unsubscribe();
      for (const c of controllers) c.close();
      kubelet.close();
    },
  };
}
