import crypto from "node:crypto";
import { nowTimestamp } from "./objects";
import type { Obj } from "./store";

/**
 * Pod status as the kubelet reports it: one containerStatus per container in
 * spec order, the phase (Running once every container runs) and the five
 * conditions `kubectl describe` prints, keeping transition times stable.
 */

export type ContainerState =
  | { kind: "waiting"; reason: string; message?: string }
  | { kind: "running"; imageID: string; startedAt: string };

export function containerStatus(name: string, image: string, state: ContainerState, previous?: Obj): Obj {
  if (state.kind === "running") {
    const same = previous?.state?.running && previous.imageID === state.imageID;
    return {
      name,
      state: { running: { startedAt: same ? previous.state.running.startedAt : state.startedAt } },
      lastState: {},
      ready: true,
      restartCount: previous?.restartCount ?? 0,
      image,
      imageID: state.imageID,
      containerID: same && previous.containerID ? previous.containerID : `containerd://${crypto.randomBytes(32).toString("hex")}`,
      started: true,
    };
  }
  const waiting: Obj = { reason: state.reason };
  if (state.message) waiting.message = state.message;
  return { name, state: { waiting }, lastState: {}, ready: false, restartCount: previous?.restartCount ?? 0, image, imageID: "", started: false };
}

function condition(type: string, ok: boolean, previous: Obj[] | undefined, extra: Obj = {}): Obj {
  const status = ok ? "True" : "False";
  const before = previous?.find((c) => c.type === type);
  const lastTransitionTime = before && before.status === status ? before.lastTransitionTime : nowTimestamp();
  return { type, status, lastProbeTime: null, lastTransitionTime, ...extra };
}

/** Recomputes phase and conditions from the container statuses already in `pod.status`. */
export function settlePodStatus(pod: Obj): void {
  const status = pod.status;
  const statuses: Obj[] = status.containerStatuses ?? [];
  const unready = statuses.filter((c) => !c.ready).map((c) => c.name);
  const ready = statuses.length > 0 && unready.length === 0;
  const notReady = ready ? {} : { reason: "ContainersNotReady", message: `containers with unready status: [${unready.join(" ")}]` };
  const previous: Obj[] | undefined = status.conditions;
  status.phase = ready ? "Running" : "Pending";
  status.conditions = [
    condition("Initialized", true, previous),
    condition("Ready", ready, previous, notReady),
    condition("ContainersReady", ready, previous, notReady),
    condition("PodScheduled", true, previous),
  ];
}

/** The status a freshly bound pod has while its images are being pulled. */
export function boundPodStatus(pod: Obj, node: string, podIP: string): Obj {
  const containers: Obj[] = pod.spec?.containers ?? [];
  return {
    phase: "Pending",
    hostIP: node,
    hostIPs: [{ ip: node }],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: nowTimestamp(),
    containerStatuses: containers.map((c) => containerStatus(c.name, c.image, { kind: "waiting", reason: "ContainerCreating" })),
    qosClass: pod.status?.qosClass ?? "BestEffort",
  };
}

/** Go's time.Duration formatting for the Pulled event (`512ms`, `1.204s`). */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(1, Math.round(ms))}ms`;
  return `${(ms / 1000).toFixed(3).replace(/\.?0+$/, "")}s`;
}
