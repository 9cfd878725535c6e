import { isObject } from "./patch";

/**
 * Known fields per kind, for `fieldValidation` (Strict: 400 on unknown fields;
 * Warn: warning header) and for pruning unknown fields before storing, as
 * decoding into Go structs does. Subtrees marked "any" are not checked.
 */

type Schema = "any" | "scalar" | "map" | Schema[] | { [field: string]: Schema };

const objectMeta: Schema = {
  name: "scalar", generateName: "scalar", namespace: "scalar", selfLink: "scalar", uid: "scalar",
  resourceVersion: "scalar", generation: "scalar", creationTimestamp: "scalar", deletionTimestamp: "scalar",
  deletionGracePeriodSeconds: "scalar", labels: "map", annotations: "map", ownerReferences: "any",
  finalizers: "any", managedFields: "any",
};

const container: Schema = {
  name: "scalar", image: "scalar", command: "any", args: "any", workingDir: "scalar", ports: "any", envFrom: "any",
  env: "any", resources: "any", resizePolicy: "any", restartPolicy: "scalar", volumeMounts: "any",
  volumeDevices: "any", livenessProbe: "any", readinessProbe: "any", startupProbe: "any", lifecycle: "any",
  terminationMessagePath: "scalar", terminationMessagePolicy: "scalar", imagePullPolicy: "scalar",
  securityContext: "any", stdin: "scalar", stdinOnce: "scalar", tty: "scalar",
};

const localRef: Schema = { name: "scalar" };

const podSpec: Schema = {
  volumes: "any", initContainers: [container], containers: [container], ephemeralContainers: "any",
  restartPolicy: "scalar", terminationGracePeriodSeconds: "scalar", activeDeadlineSeconds: "scalar",
  dnsPolicy: "scalar", nodeSelector: "map", serviceAccountName: "scalar", serviceAccount: "scalar",
  automountServiceAccountToken: "scalar", nodeName: "scalar", hostNetwork: "scalar", hostPID: "scalar",
  hostIPC: "scalar", shareProcessNamespace: "scalar", securityContext: "any", imagePullSecrets: [localRef],
  hostname: "scalar", subdomain: "scalar", affinity: "any", schedulerName: "scalar", tolerations: "any",
  hostAliases: "any", priorityClassName: "scalar", priority: "scalar", dnsConfig: "any", readinessGates: "any",
  runtimeClassName: "scalar", enableServiceLinks: "scalar", preemptionPolicy: "scalar", overhead: "any",
  topologySpreadConstraints: "any", setHostnameAsFQDN: "scalar", os: "any", hostUsers: "scalar",
  schedulingGates: "any", resourceClaims: "any", resources: "any",
};

const top = (extra: Record<string, Schema>): Schema => ({ apiVersion: "scalar", kind: "scalar", metadata: objectMeta, ...extra });

export const SCHEMAS: Record<string, Schema> = {
  Namespace: top({ spec: { finalizers: "any" }, status: "any" }),
  Secret: top({ data: "map", stringData: "map", type: "scalar", immutable: "scalar" }),
  ServiceAccount: top({
    secrets: [{ kind: "scalar", namespace: "scalar", name: "scalar", uid: "scalar", apiVersion: "scalar", resourceVersion: "scalar", fieldPath: "scalar" }],
    imagePullSecrets: [localRef],
    automountServiceAccountToken: "scalar",
  }),
  Pod: top({ spec: podSpec, status: "any" }),
  Deployment: top({
    spec: {
      replicas: "scalar", selector: "any", template: { metadata: objectMeta, spec: podSpec }, strategy: "any",
      minReadySeconds: "scalar", revisionHistoryLimit: "scalar", paused: "scalar", progressDeadlineSeconds: "scalar",
    },
    status: "any",
  }),
  Event: top({
    involvedObject: "any", reason: "scalar", message: "scalar", source: "any", firstTimestamp: "scalar", lastTimestamp: "scalar",
    count: "scalar", type: "scalar", eventTime: "scalar", series: "any", action: "scalar", related: "any",
    reportingComponent: "scalar", reportingInstance: "scalar",
  }),
};

const policyRule: Schema = { verbs: "any", apiGroups: "any", resources: "any", resourceNames: "any", nonResourceURLs: "any" };
const roleRef: Schema = { apiGroup: "scalar", kind: "scalar", name: "scalar" };
const subject: Schema = { kind: "scalar", apiGroup: "scalar", name: "scalar", namespace: "scalar" };
SCHEMAS.ClusterRole = top({ rules: [policyRule], aggregationRule: "any" });
SCHEMAS.Role = top({ rules: [policyRule] });
SCHEMAS.ClusterRoleBinding = top({ subjects: [subject], roleRef });
SCHEMAS.RoleBinding = top({ subjects: [subject], roleRef });

/** Returns the unknown field paths (`spec.template.spec.containers[0].foo`) and removes them from `obj`. */
export function pruneUnknownFields(kind: string, obj: unknown): string[] {
  const schema = SCHEMAS[kind];
  const unknown: string[] = [];
  if (schema) walk(obj, schema, "", unknown);
  return unknown;
}

function walk(value: unknown, schema: Schema, path: string, unknown: string[]): void {
  if (schema === "any" || schema === "scalar" || schema === "map" || value === null || value === undefined) return;
  if (Array.isArray(schema)) {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, schema[0]!, `${path}[${i}]`, unknown));
    return;
  }
  if (!isObject(value)) return;
  for (const key of Object.keys(value)) {
    const child = schema[key];
    const childPath = path ? `${path}.${key}` : key;
    if (child === undefined) {
      unknown.push(childPath);
      delete value[key];
    } else walk(value[key], child, childPath, unknown);
  }
}
