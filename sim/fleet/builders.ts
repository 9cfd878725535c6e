/**
 * Small builders for the demo clusters' objects. Credentials are assembled here
 * from sim/demo-credentials.ts; nothing here is used outside sim/.
 */
import { createHash } from "node:crypto";

export type Obj = Record<string, any>;

export interface RegistryCredential {
  server: string;
  username: string;
  password: string;
  email?: string;
}

/** `.dockerconfigjson` content: {auths: {server: {username, password, email, auth}}}, base64-encoded for `data`. */
export function dockerConfigJson(creds: RegistryCredential[]): string {
  const auths: Obj = {};
  for (const c of creds) {
    auths[c.server] = {
      username: c.username,
      password: c.password,
      email: c.email ?? c.username,
      auth: Buffer.from(`${c.username}:${c.password}`).toString("base64"),
    };
  }
  return Buffer.from(JSON.stringify({ auths })).toString("base64");
}

/** Legacy `.dockercfg` content (no `auths` wrapper). */
export function dockerCfg(creds: RegistryCredential[]): string {
  const cfg: Obj = {};
  for (const c of creds) {
    cfg[c.server] = { username: c.username, password: c.password, email: c.email ?? c.username, auth: Buffer.from(`${c.username}:${c.password}`).toString("base64") };
  }
  return Buffer.from(JSON.stringify(cfg)).toString("base64");
}

export interface MetaOptions {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  created: string;
}

function meta(name: string, namespace: string | undefined, o: MetaOptions): Obj {
  const m: Obj = { name, creationTimestamp: o.created };
  if (namespace) m.namespace = namespace;
  if (o.labels && Object.keys(o.labels).length) m.labels = o.labels;
  if (o.annotations && Object.keys(o.annotations).length) m.annotations = o.annotations;
  return m;
}

export function namespace(name: string, o: MetaOptions): Obj {
  return { apiVersion: "v1", kind: "Namespace", metadata: meta(name, undefined, o) };
}

export function pullSecret(ns: string, name: string, creds: RegistryCredential[], o: MetaOptions): Obj {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: meta(name, ns, o),
    type: "kubernetes.io/dockerconfigjson",
    data: { ".dockerconfigjson": dockerConfigJson(creds) },
  };
}

export function dockercfgSecret(ns: string, name: string, creds: RegistryCredential[], o: MetaOptions): Obj {
  return { apiVersion: "v1", kind: "Secret", metadata: meta(name, ns, o), type: "kubernetes.io/dockercfg", data: { ".dockercfg": dockerCfg(creds) } };
}

export function opaqueSecret(ns: string, name: string, data: Record<string, string>, o: MetaOptions): Obj {
  const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString("base64")]));
  return { apiVersion: "v1", kind: "Secret", metadata: meta(name, ns, o), type: "Opaque", data: encoded };
}

export function serviceAccount(ns: string, name: string, pullSecrets: string[], o: MetaOptions): Obj {
  const sa: Obj = { apiVersion: "v1", kind: "ServiceAccount", metadata: meta(name, ns, o) };
  if (pullSecrets.length) sa.imagePullSecrets = pullSecrets.map((n) => ({ name: n }));
  return sa;
}

export interface WorkloadOptions extends MetaOptions {
  image: string;
  replicas?: number;
  /** Pull secrets in the pod template (pods then ignore the service account's). */
  imagePullSecrets?: string[];
  /** Pull secrets the service account had when the pods were created (admission copies them). */
  serviceAccountPullSecrets?: string[];
  serviceAccountName?: string;
  /** Whether the pods could pull their image (otherwise ImagePullBackOff). */
  pulled: boolean;
}

/** Deterministic pseudo-random suffixes so the demo looks the same on every start. */
function suffix(seed: string, length: number, alphabet = "bcdfghjklmnpqrstvwxz2456789"): string {
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  let out = "";
  for (let i = 0; i < length; i++) {
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
    out += alphabet[h % alphabet.length];
  }
  return out;
}

/** A Deployment and the Pods its (unsimulated) ReplicaSet created. */
export function deploymentWithPods(ns: string, app: string, o: WorkloadOptions): Obj[] {
  const replicas = o.replicas ?? 1;
  const labels = { app, ...(o.labels ?? {}) };
  const podSpec: Obj = { containers: [{ name: app, image: o.image }] };
  if (o.serviceAccountName) podSpec.serviceAccountName = o.serviceAccountName;
  if (o.imagePullSecrets?.length) podSpec.imagePullSecrets = o.imagePullSecrets.map((name) => ({ name }));
  const ready = o.pulled ? replicas : 0;
  const deployment: Obj = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { ...meta(app, ns, { ...o, labels }), generation: 1 },
    spec: { replicas, selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: podSpec } },
    status: {
      observedGeneration: 1,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: ready || undefined,
      availableReplicas: ready || undefined,
      unavailableReplicas: replicas - ready || undefined,
      conditions: [
        { type: "Available", status: ready === replicas ? "True" : "False", reason: ready === replicas ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable", lastUpdateTime: o.created, lastTransitionTime: o.created, message: ready === replicas ? "Deployment has minimum availability." : "Deployment does not have minimum availability." },
      ],
    },
  };
  const rsHash = suffix(`${ns}/${app}`, 10);
  const pods: Obj[] = [];
  for (let i = 0; i < replicas; i++) {
    const spec: Obj = structuredClone(podSpec);
    if (!spec.imagePullSecrets && o.serviceAccountPullSecrets?.length) spec.imagePullSecrets = o.serviceAccountPullSecrets.map((name) => ({ name }));
    spec.nodeName = `10.176.${(i % 3) + 10}.${20 + (i % 7)}`;
    const podName = `${app}-${rsHash}-${suffix(`${ns}/${app}/${i}`, 5)}`;
    const containerStatus: Obj = o.pulled
      ? { name: app, image: o.image, imageID: "", ready: true, restartCount: 0, started: true, state: { running: { startedAt: o.created } } }
      : {
          name: app, image: o.image, imageID: "", ready: false, restartCount: 0, started: false,
          state: { waiting: { reason: "ImagePullBackOff", message: `Back-off pulling image "${o.image}"` } },
        };
    // Pods belong to the Deployment's ReplicaSet `<app>-<hash>`, as the controllers would make them.
    const podMeta = meta(podName, ns, { ...o, labels: { app, "pod-template-hash": rsHash } });
    podMeta.ownerReferences = [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: `${app}-${rsHash}`, uid: replicaSetUid(`${ns}/${app}-${rsHash}`), controller: true, blockOwnerDeletion: true }];
    pods.push({
      apiVersion: "v1",
      kind: "Pod",
      metadata: podMeta,
      spec,
      status: { phase: o.pulled ? "Running" : "Pending", podIP: `172.30.${parseInt(suffix(podName, 2, "0123456789"), 10) + 100}.${parseInt(suffix(`${podName}/ip`, 2, "0123456789"), 10) + 2}`, qosClass: "BestEffort", containerStatuses: [containerStatus] },
    });
  }
  return [deployment, ...pods];
}

/** A stable UUID-shaped id for a ReplicaSet the simulator does not store. */
function replicaSetUid(key: string): string {
  const hex = createHash("sha256").update(key).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** An ISO timestamp `days` after `base`. */
export function daysAfter(base: string, days: number): string {
  return new Date(Date.parse(base) + days * 86400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
}
