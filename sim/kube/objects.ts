import crypto from "node:crypto";
import type { Obj } from "./store";
import { badRequest } from "./status";
import { isObject } from "./patch";

/** Server-side defaulting and system fields, as the registry strategies and SetDefaults_* functions apply them. */

export const nowTimestamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

export function normalizeTimestamp(ts: unknown): string | undefined {
  if (typeof ts !== "string" || !ts) return undefined;
  const d = Date.parse(ts);
  if (Number.isNaN(d)) return undefined;
  return new Date(d).toISOString().replace(/\.\d{3}Z$/, "Z");
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Secret decoding: base64 check on data, then stringData merged over data (StringData wins) and dropped. */
export function convertSecret(obj: Obj, kindLabel = 'Secret in version "v1" cannot be handled as a Secret'): void {
  if (obj.data !== undefined && obj.data !== null) {
    if (!isObject(obj.data)) throw badRequest(`${kindLabel}: json: cannot unmarshal into Go struct field Secret.data of type map[string][]uint8`);
    for (const [k, v] of Object.entries(obj.data)) {
      if (typeof v !== "string" || v.length % 4 !== 0 || !BASE64.test(v)) {
        const s = String(v);
        let at = s.search(/[^A-Za-z0-9+/=]/);
        if (at < 0) at = s.length - (s.length % 4);
        throw badRequest(`${kindLabel}: illegal base64 data at input byte ${at}`);
      }
      obj.data[k] = v;
    }
  }
  if (isObject(obj.stringData)) {
    obj.data = isObject(obj.data) ? obj.data : {};
    for (const [k, v] of Object.entries(obj.stringData)) obj.data[k] = Buffer.from(String(v), "utf8").toString("base64");
  }
  delete obj.stringData;
  if (obj.data === null) delete obj.data;
}

function defaultContainer(c: Obj): void {
  c.terminationMessagePath ??= "/dev/termination-log";
  c.terminationMessagePolicy ??= "File";
  if (c.imagePullPolicy === undefined) {
    const image = String(c.image ?? "");
    const lastSegment = image.slice(image.lastIndexOf("/") + 1);
    const hasTag = lastSegment.includes(":") || image.includes("@");
    c.imagePullPolicy = !hasTag || image.endsWith(":latest") ? "Always" : "IfNotPresent";
  }
  c.resources ??= {};
}

export function defaultPodSpec(spec: Obj): void {
  spec.restartPolicy ??= "Always";
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= "ClusterFirst";
  spec.securityContext ??= {};
  spec.schedulerName ??= "default-scheduler";
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const c of spec.initContainers ?? []) defaultContainer(c);
}

/** Defaults per kind, applied on create (and to initial objects). */
export function applyDefaults(kind: string, obj: Obj): void {
  switch (kind) {
    case "Namespace":
      obj.spec = isObject(obj.spec) ? obj.spec : {};
      obj.spec.finalizers = ["kubernetes"];
      obj.status = { phase: obj.metadata.deletionTimestamp ? "Terminating" : "Active" };
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), "kubernetes.io/metadata.name": obj.metadata.name };
      break;
    case "Secret":
      obj.type = obj.type || "Opaque";
      break;
    case "Pod":
      obj.spec ??= {};
      defaultPodSpec(obj.spec);
      obj.spec.serviceAccountName ??= obj.spec.serviceAccount ?? "default";
      obj.spec.serviceAccount = obj.spec.serviceAccountName;
      obj.spec.enableServiceLinks ??= true;
      obj.spec.priority ??= 0;
      obj.spec.preemptionPolicy ??= "PreemptLowerPriority";
      obj.spec.tolerations ??= [
        { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
        { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      ];
      if (!isObject(obj.status) || !obj.status.phase) obj.status = { phase: "Pending", qosClass: "BestEffort" };
      break;
    case "Deployment": {
      const spec = (obj.spec ??= {});
      spec.replicas ??= 1;
      spec.strategy = isObject(spec.strategy) ? spec.strategy : {};
      spec.strategy.type ||= "RollingUpdate";
      if (spec.strategy.type === "RollingUpdate") {
        spec.strategy.rollingUpdate = { maxUnavailable: "25%", maxSurge: "25%", ...(spec.strategy.rollingUpdate ?? {}) };
      }
      spec.revisionHistoryLimit ??= 10;
      spec.progressDeadlineSeconds ??= 600;
      defaultTemplate(obj);
      obj.status ??= {};
      break;
    }
    case "StatefulSet": {
      const spec = (obj.spec ??= {});
      spec.replicas ??= 1;
      spec.podManagementPolicy ||= "OrderedReady";
      spec.updateStrategy = isObject(spec.updateStrategy) ? spec.updateStrategy : {};
      spec.updateStrategy.type ||= "RollingUpdate";
      if (spec.updateStrategy.type === "RollingUpdate") spec.updateStrategy.rollingUpdate = { partition: 0, ...(spec.updateStrategy.rollingUpdate ?? {}) };
      spec.revisionHistoryLimit ??= 10;
      spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: "Retain", whenScaled: "Retain", ...(spec.persistentVolumeClaimRetentionPolicy ?? {}) };
      defaultTemplate(obj);
      obj.status ??= { replicas: 0, availableReplicas: 0 };
      break;
    }
    case "DaemonSet": {
      const spec = (obj.spec ??= {});
      spec.updateStrategy = isObject(spec.updateStrategy) ? spec.updateStrategy : {};
      spec.updateStrategy.type ||= "RollingUpdate";
      if (spec.updateStrategy.type === "RollingUpdate") spec.updateStrategy.rollingUpdate = { maxUnavailable: 1, maxSurge: 0, ...(spec.updateStrategy.rollingUpdate ?? {}) };
      spec.revisionHistoryLimit ??= 10;
      defaultTemplate(obj);
      obj.status ??= { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };
      break;
    }
  }
}

/** The pod template's defaults and `metadata.generation` of an apps/v1 workload. */
function defaultTemplate(obj: Obj): void {
  const template = (obj.spec.template ??= {});
  template.metadata ??= {};
  template.spec ??= {};
  defaultPodSpec(template.spec);
  obj.metadata.generation ??= 1;
}

const GENERATE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
export function generateName(prefix: string): string {
  let s = "";
  for (let i = 0; i < 5; i++) s += GENERATE_ALPHABET[crypto.randomInt(GENERATE_ALPHABET.length)];
  return prefix + s;
}

/** The object as a client sees it: kind/apiVersion first, as the server serialises it. */
export function withTypeMeta(kind: string, apiVersion: string, obj: Obj): Obj {
  const { kind: _k, apiVersion: _a, ...rest } = obj;
  return { kind, apiVersion, ...rest };
}

/** List items carry no kind/apiVersion. */
export function stripTypeMeta(obj: Obj): Obj {
  const { kind: _k, apiVersion: _a, ...rest } = obj;
  return rest;
}
