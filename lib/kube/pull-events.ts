import "server-only";
import type { CoreV1Event, V1Pod } from "@kubernetes/client-node";
import { isKubeError } from "./errors";
import { toPodDto, type Wire } from "./mappers";
import type { WorkloadDto } from "./port";
import type { ClusterTransport, RequestCounter } from "./transport";

/**
 * The kubelet's pull errors as Events. Kubelets before 1.32 leave the runtime's
 * error out of the `ImagePullBackOff` waiting message ("Back-off pulling image
 * X" only), so the cause of a pod in back-off is in its Warning `Failed` event
 * ("Failed to pull image "X": <error>"). Events are read only when some failing
 * pod's message lacks the cause, with a field selector, cluster-wide in one
 * paged list (or per namespace of those pods when that is forbidden).
 */

/** At most this many per-namespace event lists when the cluster-wide one is forbidden. */
export const MAX_EVENT_NAMESPACES = 50;
const FIELD_SELECTOR = "involvedObject.kind=Pod,reason=Failed,type=Warning";
const PULL_FAILED = /^Failed to pull image "[^"]*": ([\s\S]+)$/;
const BARE_BACK_OFF = /^Back-off pulling image "[^"]*"$/;

/** A pull error whose waiting message does not say why (empty, or the bare back-off text). */
export function lacksCause(error: { reason: string; message: string }): boolean {
  return (error.reason === "ErrImagePull" || error.reason === "ImagePullBackOff") && (error.message.trim() === "" || BARE_BACK_OFF.test(error.message.trim()));
}

interface EventList {
  items?: Wire<CoreV1Event>[];
  metadata?: { continue?: string };
}

const CONTAINER_PATH = /^spec\.(?:initContainers|containers)\{(.+)\}$/;

async function listEvents(t: ClusterTransport, path: string, counter: RequestCounter, namespace?: string): Promise<Wire<CoreV1Event>[]> {
  const out: Wire<CoreV1Event>[] = [];
  let cont: string | undefined;
  do {
    const page = await t.request<EventList>(
      { method: "GET", path, query: { limit: 500, continue: cont, fieldSelector: FIELD_SELECTOR }, ctx: { object: "events", ...(namespace ? { namespace } : {}) }, idempotent: true },
      counter,
    );
    out.push(...(page.items ?? []));
    cont = page.metadata?.continue || undefined;
  } while (cont);
  return out;
}

/** The newest runtime error per `namespace/pod/container`. */
function latestErrors(events: Wire<CoreV1Event>[]): Map<string, { at: string; error: string }> {
  const out = new Map<string, { at: string; error: string }>();
  for (const e of events) {
    const error = PULL_FAILED.exec(e.message ?? "")?.[1];
    const container = CONTAINER_PATH.exec(e.involvedObject?.fieldPath ?? "")?.[1];
    if (!error || !container) continue;
    const key = `${e.involvedObject?.namespace ?? e.metadata?.namespace}/${e.involvedObject?.name}/${container}`;
    const at = String(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? "");
    const held = out.get(key);
    if (!held || held.at <= at) out.set(key, { at, error });
  }
  return out;
}

/**
 * Adds `lastPullError` to the failing containers of `pods` whose waiting
 * message lacks the cause. Events are evidence, not inventory: when they
 * cannot be read (forbidden), the pods are returned as they were and a note says so.
 */
export async function withPullEvents(t: ClusterTransport, pods: WorkloadDto[], counter: RequestCounter, notes: string[], onlyNamespace?: string): Promise<WorkloadDto[]> {
  const failing = pods.filter((p) => p.imagePullErrors?.some(lacksCause));
  if (failing.length === 0) return pods;
  let events: Wire<CoreV1Event>[];
  try {
    events = onlyNamespace ? await listEvents(t, `/api/v1/namespaces/${encodeURIComponent(onlyNamespace)}/events`, counter, onlyNamespace) : await eventsOf(t, failing, counter);
  } catch (e) {
    if (!isKubeError(e) || e.kind !== "forbidden") throw e;
    notes.push("Reading Events is forbidden for this identity: pods in ImagePullBackOff whose status omits the pull error are shown without a cause.");
    return pods;
  }
  const errors = latestErrors(events);
  return pods.map((p) => {
    if (!p.imagePullErrors?.some(lacksCause)) return p;
    return {
      ...p,
      imagePullErrors: p.imagePullErrors.map((err) => {
        const found = lacksCause(err) ? errors.get(`${p.namespace}/${p.name}/${err.container}`) : undefined;
        return found ? { ...err, lastPullError: found.error } : err;
      }),
    };
  });
}

/** One cluster-wide list; when that is forbidden, one list per namespace with such pods (bounded). */
async function eventsOf(t: ClusterTransport, failing: WorkloadDto[], counter: RequestCounter): Promise<Wire<CoreV1Event>[]> {
  try {
    return await listEvents(t, "/api/v1/events", counter);
  } catch (e) {
    if (!isKubeError(e) || e.kind !== "forbidden") throw e;
  }
  const namespaces = [...new Set(failing.map((p) => p.namespace))].slice(0, MAX_EVENT_NAMESPACES);
  const lists = await Promise.all(
    namespaces.map(async (ns) => {
      try {
        return await listEvents(t, `/api/v1/namespaces/${encodeURIComponent(ns)}/events`, counter, ns);
      } catch (e) {
        if (isKubeError(e) && e.kind === "forbidden") return [];
        throw e;
      }
    }),
  );
  return lists.flat();
}

/**
 * The pods of one namespace, with pull evidence:
 * one list, plus one Events list when a failing pod's status omits the cause.
 */
export async function readPods(t: ClusterTransport, namespace: string): Promise<WorkloadDto[]> {
  const counter: RequestCounter = { count: 0 };
  const list = await t.request<{ items?: Wire<V1Pod>[] }>(
    { method: "GET", path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`, ctx: { namespace, object: "pods" }, idempotent: true },
    counter,
  );
  const pods = (list.items ?? []).map((p) => toPodDto(t.cluster, p));
  return withPullEvents(t, pods, counter, [], namespace);
}
