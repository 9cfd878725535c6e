import { EventRecorder, podRef } from "./events";
import { credentialsFor, parseImageRef } from "./image-ref";
import { ImagePuller, imageIdFor } from "./image-pull";
import { deepEqual } from "./patch";
import { boundPodStatus, containerStatus, goDuration, settlePodStatus, type ContainerState } from "./pod-status";
import { keyOf, type Obj, type Store, type StoreEvent } from "./store";
import { nowTimestamp } from "./objects";
import type { KubeletOptions } from "./types";

/**
 * The scheduler and the kubelets of a few nodes, as one component. A new pod
 * is bound to the least busy node; each container's image is used from the
 * node's cache (IfNotPresent/Never) or pulled with the pod's own admitted
 * imagePullSecrets, read again on every attempt (a fixed secret helps, a fixed
 * service account does not). Failures go ErrImagePull → ImagePullBackOff and
 * retry with a doubling back-off.
 */

export const DEFAULT_NODES = ["10.176.10.20", "10.176.11.21", "10.176.12.22"];
const SCHEDULER = { component: "default-scheduler" };
const PULL_FAILURE = new Set(["ErrImagePull", "ImagePullBackOff"]);

interface ContainerPull {
  failures: number;
}

export class Kubelet {
  private readonly nodes: string[];
  private readonly caches = new Map<string, Set<string>>();
  /** Pull state per pod uid and container name. */
  private readonly pulls = new Map<string, Map<string, ContainerPull>>();
  private readonly timers = new Map<string, Set<NodeJS.Timeout>>();
  private readonly puller: ImagePuller;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private nextIp = 0;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly events: EventRecorder,
    opts: KubeletOptions,
    /** Kubelets from 1.32 keep the pull error in the back-off message (kubernetes/kubernetes#127918). */
    private readonly serverMinor = 30,
  ) {
    this.nodes = [...(opts.nodes?.length ? opts.nodes : DEFAULT_NODES)];
    for (const [node, images] of Object.entries(opts.nodeImages ?? {})) for (const image of images) this.cache(node).add(parseImageRef(image).full);
    this.puller = new ImagePuller(opts);
    this.initialMs = opts.backOffInitialMs ?? 10_000;
    this.maxMs = opts.backOffMaxMs ?? 300_000;
  }

  private cache(node: string): Set<string> {
    let c = this.caches.get(node);
    if (!c) {
      c = new Set();
      this.caches.set(node, c);
      if (!this.nodes.includes(node)) this.nodes.push(node);
    }
    return c;
  }

  /** Takes over the pods already stored (seeded state): caches what runs, retries what failed, starts the rest. */
  adoptAll(): void {
    for (const pod of this.store.list("pods")) this.adopt(pod);
  }

  onEvent(e: StoreEvent): void {
    if (e.resource !== "pods" || this.closed) return;
    if (e.type === "DELETED") return this.forget(e.object.metadata.uid);
    if (e.type === "ADDED") {
      const key = keyOf(e.object.metadata.namespace, e.object.metadata.name);
      setImmediate(() => this.admit(key, e.object.metadata.uid));
    }
  }

  close(): void {
    this.closed = true;
    for (const set of this.timers.values()) for (const t of set) clearTimeout(t);
    this.timers.clear();
  }

  private adopt(pod: Obj): void {
    const node = pod.spec?.nodeName;
    const statuses: Obj[] = pod.status?.containerStatuses ?? [];
    if (!node || statuses.length === 0) return this.admit(keyOf(pod.metadata.namespace, pod.metadata.name), pod.metadata.uid);
    for (const c of statuses) {
      if (c.state?.running) this.cache(node).add(parseImageRef(c.image).full);
      else if (PULL_FAILURE.has(c.state?.waiting?.reason)) {
        this.pullState(pod.metadata.uid, c.name).failures = 1;
        this.later(pod.metadata.uid, this.initialMs, () => this.startContainer(pod.metadata.namespace, pod.metadata.name, pod.metadata.uid, c.name));
      }
    }
  }

  private admit(key: string, uid: string): void {
    const [ns, name] = key.split("/") as [string, string];
    const pod = this.store.get("pods", ns, name);
    if (!pod || pod.metadata.uid !== uid || this.closed) return;
    if (!pod.spec?.nodeName) {
      this.bind(pod);
      if (!this.store.get("pods", ns, name)?.spec?.nodeName) return; // unschedulable: stays Pending
    } else if (!pod.status?.containerStatuses?.length) this.write(ns, name, uid, (p) => (p.status = boundPodStatus(p, p.spec.nodeName, this.podIp())));
    for (const c of pod.spec?.containers ?? []) void this.startContainer(ns, name, uid, c.name);
  }

  /** The simulated nodes' names (DaemonSets make one pod per node). */
  nodeNames(): string[] {
    return [...this.nodes];
  }

  private bind(pod: Obj): void {
    const load = new Map(this.nodes.map((n) => [n, 0]));
    for (const p of this.store.list("pods")) if (p.spec?.nodeName && load.has(p.spec.nodeName)) load.set(p.spec.nodeName, load.get(p.spec.nodeName)! + 1);
    const required = requiredNodeNames(pod);
    const candidates = [...load.entries()].filter(([n]) => !required || required.includes(n));
    if (candidates.length === 0) return;
    const node = candidates.sort((a, b) => a[1] - b[1])[0]![0];
    this.write(pod.metadata.namespace, pod.metadata.name, pod.metadata.uid, (p) => {
      p.spec.nodeName = node;
      p.status = boundPodStatus(p, node, this.podIp());
    });
    this.events.record(podRef(pod), "Normal", "Scheduled", `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}`, SCHEDULER);
  }

  private podIp(): string {
    const n = this.nextIp++;
    return `172.30.${200 + Math.floor(n / 250) % 50}.${(n % 250) + 2}`;
  }

  private async startContainer(ns: string, name: string, uid: string, container: string): Promise<void> {
    const pod = this.store.get("pods", ns, name);
    if (!pod || pod.metadata.uid !== uid || this.closed) return;
    const spec = (pod.spec.containers as Obj[]).find((c) => c.name === container);
    if (!spec) return;
    const node: string = pod.spec.nodeName;
    const source = { component: "kubelet", host: node };
    const ref = parseImageRef(spec.image);
    const cached = this.cache(node).has(ref.full);
    const record = (type: "Normal" | "Warning", reason: string, message: string) => this.events.record(podRef(pod, container), type, reason, message, source);
    if (cached && spec.imagePullPolicy !== "Always") {
      record("Normal", "Pulled", `Container image "${spec.image}" already present on machine`);
      return this.run(pod, container, spec.image, ref);
    }
    if (spec.imagePullPolicy === "Never") {
      const message = `Container image "${spec.image}" is not present with pull policy of Never`;
      record("Warning", "ErrImageNeverPull", message);
      return this.setState(pod, container, spec.image, { kind: "waiting", reason: "ErrImageNeverPull", message });
    }
    record("Normal", "Pulling", `Pulling image "${spec.image}"`);
    const names: string[] = (pod.spec.imagePullSecrets ?? []).map((s: Obj) => s.name).filter(Boolean);
    const secrets = names.map((n) => this.store.get("secrets", ns, n)).filter((s): s is Obj => !!s);
    if (secrets.length < names.length) {
      const missing = names.filter((n) => !this.store.get("secrets", ns, n));
      this.events.record(podRef(pod), "Warning", "FailedToRetrieveImagePullSecret", `Unable to retrieve some image pull secrets (${missing.join(", ")}); attempting to pull the image may not succeed.`, source);
    }
    const started = Date.now();
    const result = await this.puller.pull(ref, credentialsFor(secrets, ref.domain));
    const now = this.store.get("pods", ns, name);
    if (!now || now.metadata.uid !== uid || this.closed) return;
    if (result.ok) {
      this.cache(node).add(ref.full);
      const took = goDuration(Date.now() - started);
      record("Normal", "Pulled", `Successfully pulled image "${spec.image}" in ${took} (${took} including waiting)`);
      this.pullState(uid, container).failures = 0;
      return this.run(now, container, spec.image, ref, result.imageID);
    }
    this.failPull(now, container, spec.image, result.message, source);
  }

  private failPull(pod: Obj, container: string, image: string, message: string, source: { component: string; host: string }): void {
    const { namespace: ns, name, uid } = pod.metadata;
    const record = (type: "Normal" | "Warning", reason: string, text: string) => this.events.record(podRef(pod, container), type, reason, text, source);
    record("Warning", "Failed", `Failed to pull image "${image}": ${message}`);
    record("Warning", "Failed", "Error: ErrImagePull");
    this.setState(pod, container, image, { kind: "waiting", reason: "ErrImagePull", message });
    const state = this.pullState(uid, container);
    state.failures++;
    const backOff = Math.min(this.initialMs * 2 ** (state.failures - 1), this.maxMs);
    // The next pod sync finds the image in back-off; the retry comes when the back-off expires.
    this.later(uid, Math.min(backOff / 2, 5_000), () => {
      const current = this.store.get("pods", ns, name);
      if (!current || current.metadata.uid !== uid) return;
      const cs = (current.status?.containerStatuses ?? []).find((c: Obj) => c.name === container);
      if (cs?.state?.waiting?.reason !== "ErrImagePull") return;
      const backOffMessage = `Back-off pulling image "${image}"`;
      this.events.record(podRef(current, container), "Normal", "BackOff", backOffMessage, source);
      this.events.record(podRef(current, container), "Warning", "Failed", "Error: ImagePullBackOff", source);
      const waitingMessage = this.serverMinor >= 32 ? `${backOffMessage}: ErrImagePull: ${message}` : backOffMessage;
      this.setState(current, container, image, { kind: "waiting", reason: "ImagePullBackOff", message: waitingMessage });
    });
    this.later(uid, backOff, () => void this.startContainer(ns, name, uid, container));
  }

  private run(pod: Obj, container: string, image: string, ref: ReturnType<typeof parseImageRef>, imageID?: string): void {
    const source = { component: "kubelet", host: pod.spec.nodeName };
    this.events.record(podRef(pod, container), "Normal", "Created", `Created container ${container}`, source);
    this.events.record(podRef(pod, container), "Normal", "Started", `Started container ${container}`, source);
    this.setState(pod, container, image, { kind: "running", imageID: imageID ?? imageIdFor(ref), startedAt: nowTimestamp() });
  }

  private setState(pod: Obj, container: string, image: string, state: ContainerState): void {
    this.write(pod.metadata.namespace, pod.metadata.name, pod.metadata.uid, (p) => {
      const containers: Obj[] = p.spec.containers ?? [];
      const before: Obj[] = p.status.containerStatuses ?? [];
      p.status.containerStatuses = containers.map((c) => {
        const prev = before.find((s) => s.name === c.name);
        if (c.name === container) return containerStatus(c.name, image, state, prev);
        return prev ?? containerStatus(c.name, c.image, { kind: "waiting", reason: "ContainerCreating" });
      });
    });
  }

  /** Writes a pod change straight to the store (the kubelet's status updates), skipping no-op writes. */
  private write(ns: string, name: string, uid: string, mutate: (pod: Obj) => void): void {
    const current = this.store.get("pods", ns, name);
    if (!current || current.metadata.uid !== uid) return;
    const next = structuredClone(current);
    next.status ??= {};
    mutate(next);
    if (next.status.containerStatuses) settlePodStatus(next);
    if (deepEqual(next, current)) return;
    next.metadata.resourceVersion = String(this.store.nextRv());
    this.store.put("pods", next, "MODIFIED");
  }

  private pullState(uid: string, container: string): ContainerPull {
    let byContainer = this.pulls.get(uid);
    if (!byContainer) this.pulls.set(uid, (byContainer = new Map()));
    let s = byContainer.get(container);
    if (!s) byContainer.set(container, (s = { failures: 0 }));
    return s;
  }

  private later(uid: string, ms: number, fn: () => void): void {
    if (this.closed) return;
    let set = this.timers.get(uid);
    if (!set) this.timers.set(uid, (set = new Set()));
    const t = setTimeout(() => {
      set.delete(t);
      fn();
    }, ms);
    set.add(t);
  }

  private forget(uid: string): void {
    for (const t of this.timers.get(uid) ?? []) clearTimeout(t);
    this.timers.delete(uid);
    this.pulls.delete(uid);
  }
}

/** Node names a pod's required node affinity pins it to by `metadata.name` (the DaemonSet controller's pods), or null for any node. */
function requiredNodeNames(pod: Obj): string[] | null {
  const terms: Obj[] = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const names = terms.flatMap((t) => (t.matchFields ?? []).filter((f: Obj) => f.key === "metadata.name" && f.operator === "In").flatMap((f: Obj) => f.values ?? []));
  return names.length ? names : null;
}
