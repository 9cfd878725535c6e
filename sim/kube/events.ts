import crypto from "node:crypto";
import { nowTimestamp } from "./objects";
import type { Obj, Store } from "./store";

/**
 * core/v1 Events as the kubelet and controllers record them: one object per
 * (object, reason, message, type), repeated occurrences bump `count` and
 * `lastTimestamp` instead of adding objects (client-go's event correlator).
 */

export interface EventSource {
  component: string;
  host?: string;
}

export interface InvolvedObject {
  kind: string;
  apiVersion: string;
  namespace: string;
  name: string;
  uid: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export class EventRecorder {
  /** Aggregation key → event name, so repeats find their event without a scan. */
  private readonly names = new Map<string, string>();

  constructor(private readonly store: Store) {}

  record(involved: InvolvedObject, type: "Normal" | "Warning", reason: string, message: string, source: EventSource): void {
    const key = [involved.uid, involved.fieldPath ?? "", type, reason, message].join("\u0000");
    const now = nowTimestamp();
    const existingName = this.names.get(key);
    const existing = existingName ? this.store.get("events", involved.namespace, existingName) : undefined;
    if (existing) {
      const next: Obj = { ...existing, count: (existing.count ?? 1) + 1, lastTimestamp: now };
      next.metadata = { ...existing.metadata, resourceVersion: String(this.store.nextRv()) };
      this.store.put("events", next, "MODIFIED");
      return;
    }
    // The kubelet names events `<object>.<unix nanoseconds in hex>`.
    const name = `${involved.name}.${(BigInt(Date.now()) * 1_000_000n + BigInt(crypto.randomInt(1_000_000))).toString(16)}`;
    this.names.set(key, name);
    const event: Obj = {
      metadata: { name, namespace: involved.namespace, uid: crypto.randomUUID(), resourceVersion: String(this.store.nextRv()), creationTimestamp: now },
      involvedObject: { ...involved },
      reason,
      message,
      source: { ...source },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? "",
    };
    this.store.put("events", event, "ADDED");
  }
}

export function podRef(pod: Obj, container?: string): InvolvedObject {
  const ref: InvolvedObject = {
    kind: "Pod",
    apiVersion: "v1",
    namespace: pod.metadata.namespace,
    name: pod.metadata.name,
    uid: pod.metadata.uid,
    resourceVersion: pod.metadata.resourceVersion,
  };
  if (container) ref.fieldPath = `spec.containers{${container}}`;
  return ref;
}
