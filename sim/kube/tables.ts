import type { IncomingHttpHeaders } from "node:http";
import type { ResourceDef } from "./resources";
import type { Obj } from "./store";

/** meta.k8s.io/v1 Table output with the columns of k/k pkg/printers/internalversion/printers.go. */

/** duration.HumanDuration from k8s.io/apimachinery. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(seconds / 3600);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

const age = (o: Obj) => {
  const ts = o.metadata?.creationTimestamp;
  return ts ? humanDuration(Date.now() - Date.parse(ts)) : "<unknown>";
};

const since = (ts: string | undefined) => (ts ? humanDuration(Date.now() - Date.parse(ts)) : "<unknown>");

interface Column {
  name: string;
  type: string;
  format?: string;
  description: string;
  priority?: number;
  cell: (o: Obj) => unknown;
}

const NAME: Column = {
  name: "Name",
  type: "string",
  format: "name",
  description: "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
  cell: (o) => o.metadata.name,
};
const AGE: Column = {
  name: "Age",
  type: "string",
  description: "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
  cell: age,
};

function podStatus(o: Obj): string {
  if (o.metadata?.deletionTimestamp) return "Terminating";
  const waiting = (o.status?.containerStatuses ?? []).find((c: Obj) => c.state?.waiting?.reason);
  if (waiting) return waiting.state.waiting.reason;
  return o.status?.reason ?? o.status?.phase ?? "Pending";
}

const CREATED_AT: Column = { name: "Created At", type: "date", description: "CreationTimestamp is a timestamp representing the server time when this object was created.", cell: (o) => o.metadata?.creationTimestamp ?? "" };
const subjectsOf = (kind: string) => (o: Obj) =>
  (o.subjects ?? []).filter((s: Obj) => s.kind === kind).map((s: Obj) => (kind === "ServiceAccount" ? `${s.namespace ?? ""}/${s.name}` : s.name)).join(", ");
const BINDING: Column[] = [
  NAME,
  { name: "Role", type: "string", description: "RoleRef is the reference to the role to which the binding belongs.", cell: (o) => `${o.roleRef?.kind ?? ""}/${o.roleRef?.name ?? ""}` },
  AGE,
  { name: "Users", type: "string", priority: 1, description: "Users in the roleBinding", cell: subjectsOf("User") },
  { name: "Groups", type: "string", priority: 1, description: "Groups in the roleBinding", cell: subjectsOf("Group") },
  { name: "ServiceAccounts", type: "string", priority: 1, description: "ServiceAccounts in the roleBinding", cell: subjectsOf("ServiceAccount") },
];

const COLUMNS: Record<string, Column[]> = {
  clusterroles: [NAME, CREATED_AT],
  roles: [NAME, CREATED_AT],
  clusterrolebindings: BINDING,
  rolebindings: BINDING,
  namespaces: [
    NAME,
    { name: "Status", type: "string", description: "The status of the namespace", cell: (o) => o.status?.phase ?? "" },
    AGE,
  ],
  secrets: [
    NAME,
    { name: "Type", type: "string", description: "Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types", cell: (o) => o.type ?? "Opaque" },
    { name: "Data", type: "string", description: "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4", cell: (o) => Object.keys(o.data ?? {}).length },
    AGE,
  ],
  serviceaccounts: [
    NAME,
    { name: "Secrets", type: "string", description: "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.", cell: (o) => (o.secrets ?? []).length },
    AGE,
  ],
  pods: [
    NAME,
    {
      name: "Ready", type: "string", description: "The aggregate readiness state of this pod for accepting traffic.",
      cell: (o) => `${(o.status?.containerStatuses ?? []).filter((c: Obj) => c.ready).length}/${(o.spec?.containers ?? []).length}`,
    },
    { name: "Status", type: "string", description: "The aggregate status of the containers in this pod.", cell: podStatus },
    { name: "Restarts", type: "string", description: "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.", cell: (o) => (o.status?.containerStatuses ?? []).reduce((n: number, c: Obj) => n + (c.restartCount ?? 0), 0) },
    AGE,
    { name: "IP", type: "string", priority: 1, description: "The IP address assigned to the pod", cell: (o) => o.status?.podIP ?? "<none>" },
    { name: "Node", type: "string", priority: 1, description: "The name of the node to which the pod is scheduled", cell: (o) => o.spec?.nodeName ?? "<none>" },
    { name: "Nominated Node", type: "string", priority: 1, description: "The name of the node to which the pod is nominated", cell: (o) => o.status?.nominatedNodeName ?? "<none>" },
    { name: "Readiness Gates", type: "string", priority: 1, description: "The readiness gates of the pod", cell: () => "<none>" },
  ],
  deployments: [
    NAME,
    { name: "Ready", type: "string", description: "Number of the pod with ready state", cell: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}` },
    { name: "Up-to-date", type: "string", description: "Total number of non-terminated pods targeted by this deployment that have the desired template spec.", cell: (o) => o.status?.updatedReplicas ?? 0 },
    { name: "Available", type: "string", description: "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.", cell: (o) => o.status?.availableReplicas ?? 0 },
    AGE,
    { name: "Containers", type: "string", priority: 1, description: "Names of each container in the template.", cell: (o) => (o.spec?.template?.spec?.containers ?? []).map((c: Obj) => c.name).join(",") },
    { name: "Images", type: "string", priority: 1, description: "Images referenced by each container in the template.", cell: (o) => (o.spec?.template?.spec?.containers ?? []).map((c: Obj) => c.image).join(",") },
    {
      name: "Selector", type: "string", priority: 1, description: "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.",
      cell: (o) => Object.entries(o.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(","),
    },
  ],
  events: [
    { name: "Last Seen", type: "string", description: "Time when last event occurred", cell: (o) => since(o.lastTimestamp ?? o.eventTime ?? o.metadata?.creationTimestamp) },
    { name: "Type", type: "string", description: "Type of this event (Normal, Warning), new types could be added in the future.", cell: (o) => o.type ?? "" },
    { name: "Reason", type: "string", description: "This should be a short, machine understandable string that gives the reason for this event being generated.", cell: (o) => o.reason ?? "" },
    { name: "Object", type: "string", description: "The object this Event is about.", cell: (o) => `${String(o.involvedObject?.kind ?? "").toLowerCase()}/${o.involvedObject?.name ?? ""}` },
    { name: "Subobject", type: "string", priority: 1, description: "The subobject this Event is about.", cell: (o) => o.involvedObject?.fieldPath ?? "" },
    { name: "Source", type: "string", priority: 1, description: "The component reporting this event.", cell: (o) => [o.source?.component, o.source?.host].filter(Boolean).join(", ") },
    { name: "Message", type: "string", description: "A human-readable description of the status of this operation.", cell: (o) => o.message ?? "" },
    { name: "First Seen", type: "string", priority: 1, description: "The time at which the event was first recorded.", cell: (o) => since(o.firstTimestamp ?? o.eventTime) },
    { name: "Count", type: "string", priority: 1, description: "The number of times this event has occurred.", cell: (o) => String(o.count ?? 1) },
    { name: "Name", type: "string", priority: 1, description: "The name of the event.", cell: (o) => o.metadata?.name ?? "" },
  ],
};

function partialMetadata(o: Obj): Obj {
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata };
}

/** A Table of `objects`; `includeObject` follows the request (`Metadata` default, `Object`, `None`). */
export function toTable(def: ResourceDef, objects: Obj[], listMeta: Obj, includeObject: string | null): Obj {
  const cols = COLUMNS[def.plural] ?? [NAME, AGE];
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: listMeta,
    columnDefinitions: cols.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? "",
      description: c.description,
      priority: c.priority ?? 0,
    })),
    rows: objects.map((o) => {
      const row: Obj = { cells: cols.map((c) => c.cell(o)) };
      if (includeObject === "Object") row.object = { kind: def.kind, apiVersion: def.group ? `${def.group}/${def.version}` : def.version, ...o };
      else if (includeObject !== "None") row.object = partialMetadata(o);
      return row;
    }),
  };
}

/**
 * Metadata-only clients (controllers, informers over secrets) ask for
 * `application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1` on lists and
 * `as=PartialObjectMetadata` on watches and gets; the first acceptable media type wins.
 */
export const wantsPartialMetadata = (h: IncomingHttpHeaders) => !wantsTable(h) && /as=PartialObjectMetadata(List)?\b/.test(String(h.accept ?? "").split(",")[0] ?? "");

export function partialMetadataList(objects: Obj[], listMeta: Obj): Obj {
  return { kind: "PartialObjectMetadataList", apiVersion: "meta.k8s.io/v1", metadata: listMeta, items: objects.map(partialMetadata) };
}

export { partialMetadata };

/** kubectl asks for Tables with `Accept: application/json;as=Table;v=v1;g=meta.k8s.io,…`. */
export const wantsTable = (h: IncomingHttpHeaders) => /as=Table/.test(String(h.accept ?? ""));
