import type { PullSecretInventory } from "@/lib/kube/port";
import { analysePulls } from "./analyse";
import type { PullCause, PullState } from "./types";

/** A coverage finding per pod that fails to pull now or would when rescheduled (lib/coverage lists it with the others). */
export interface PullFailureFinding {
  type: "pull_failure";
  cluster: string;
  namespace: string;
  workload: { kind: "Pod"; name: string };
  state: PullState;
  images: { image: string; registry: string; cause: PullCause }[];
}

/**
 * The pull findings of one inventory, from configuration and the kubelet's
 * evidence alone (coverage has no verification results: a latent pod whose
 * key was verified rejected is added by the read models, which have them).
 */
export function pullFindings(inventory: PullSecretInventory): PullFailureFinding[] {
  const byPod = new Map<string, PullFailureFinding>();
  for (const p of analysePulls(inventory).problems) {
    const key = `${p.namespace}/${p.pod}`;
    let f = byPod.get(key);
    if (!f) byPod.set(key, (f = { type: "pull_failure", cluster: inventory.cluster, namespace: p.namespace, workload: { kind: "Pod", name: p.pod }, state: p.state, images: [] }));
    if (p.state === "failing") f.state = "failing";
    f.images.push({ image: p.image, registry: p.registry, cause: p.cause });
  }
  return [...byPod.values()];
}
