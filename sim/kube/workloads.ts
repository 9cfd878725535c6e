import { DeploymentController } from "./deployments";
import { EventRecorder } from "./events";
import { Kubelet } from "./kubelet";
import type { Store } from "./store";
import type { KubeletOptions } from "./types";

/**
 * Starts the workload controller and the kubelet on a store: they take over
 * the seeded pods and deployments, then follow every change.
 */
export function startWorkloads(store: Store, opts: KubeletOptions, serverMinor: number): { close(): void } {
  const events = new EventRecorder(store);
  const deployments = new DeploymentController(store, events);
  const kubelet = new Kubelet(store, events, opts, serverMinor);
  const unsubscribe = store.subscribe((e) => {
    deployments.onEvent(e);
    kubelet.onEvent(e);
  });
  kubelet.adoptAll();
  deployments.enqueueAll();
  return {
    close() {
      unsubscribe();
      deployments.close();
      kubelet.close();
    },
  };
}
