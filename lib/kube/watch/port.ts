import type { KubeConfig, V1Namespace, V1ObjectMeta, V1Pod, V1ServiceAccount } from "@kubernetes/client-node";
import type { InClusterOptions } from "../port";
import type { Wire } from "../mappers";

/** The kinds the watcher follows per cluster. Secrets only as metadata, and only pull-secret types. */
export type WatchedResource = "namespaces" | "serviceaccounts" | "secrets" | "pods";
export const WATCHED_RESOURCES: readonly WatchedResource[] = ["namespaces", "serviceaccounts", "secrets", "pods"];

export type PullSecretType = "kubernetes.io/dockerconfigjson" | "kubernetes.io/dockercfg";

/**
 * One change seen on a cluster. It says "look again", never "do this": a
 * consumer reconciles from the state it reads, so a lost or repeated change
 * does no harm. `via: "list"` marks changes found by diffing a (re)list
 * against what was known (the safety net for a watch that missed events).
 */
export interface WatchChange {
  cluster: string;
  resource: WatchedResource;
  type: "added" | "modified" | "deleted";
  via: "watch" | "list";
  /**
   * Set on what an informer's first list found: the objects already there when it started (everything is "added"),
   * not a change since anything was read. Later lists (the relist safety net, after 410) diff against what is known.
   */
  firstList?: true;
  namespace: string | null;
  name: string;
  uid: string;
  resourceVersion: string;
  /** Secrets: which pull-secret type (the watch is per type); there is never data. */
  secretType?: PullSecretType;
  /** Namespaces, service accounts and pods from a watch event, and pods from a list too: the object as the server sent it. */
  object?: Wire<V1Namespace> | Wire<V1ServiceAccount> | Wire<V1Pod>;
  /** Secrets: their metadata without annotations (last-applied-configuration would embed the data) and managedFields. */
  metadata?: Wire<V1ObjectMeta>;
}

export type WatchState = "listing" | "watching" | "backing_off" | "stopped";

/** How one resource's watch on one cluster is doing (for a status page and the tests). */
export interface WatchHealth {
  cluster: string;
  resource: WatchedResource;
  secretType?: PullSecretType;
  state: WatchState;
  /** Epoch ms of the last event or bookmark, or the start of the current watch. */
  lastActivityAt: number | null;
  lastListAt: number | null;
  /** Full lists done (the first one, after 410, and the periodic safety net). */
  lists: number;
  /** Watches restarted because they went silent for longer than the stall threshold. */
  stalls: number;
  /** Watches that answered 410 Expired (history compacted): each is followed by a relist. */
  expired: number;
  /** Failed lists or watches (network, 5xx, 403…); retried with back-off. */
  errors: number;
  lastError: string | null;
  /** Objects currently known. */
  objects: number;
}

/** One cluster as a live cluster set hands it out: a new `revision` means a new server, CA or credentials. */
export interface WatchableCluster {
  name: string;
  kc: KubeConfig;
  revision: string;
}

/**
 * The clusters to watch, as they change at runtime: the gateway's live set (kubeconfig files re-read on change,
 * stored IBM Cloud and registered clusters, disabled ones left out). `onChange` says "look again".
 */
export interface WatchClusterSource {
  current(): WatchableCluster[];
  onChange(listener: () => void): () => void;
}

export interface KubeWatchOptions {
  /** The clusters to watch and their changes (the gateway's `watchableClusters()`); without it, the kubeconfig files below, read once. */
  clusterSource?: WatchClusterSource;
  /** Kubeconfig files, merged as the gateway merges them (when there is no `clusterSource`). */
  kubeconfigPaths?: string[];
  inCluster?: InClusterOptions;
  /** Cluster names to watch (default: every cluster). */
  clusters?: string[];
  resources?: WatchedResource[];
  /** The server's bookmark interval (Kubernetes: about a minute). */
  bookmarkIntervalMs?: number;
  /** A watch with no event and no bookmark for this many bookmark intervals is restarted (default 3). */
  stallAfterBookmarks?: number;
  /** Full relist of every resource, the safety net for anything a watch missed (default 10 min). */
  relistIntervalMs?: number;
  /** Server-side watch timeout; client-go picks 5–10 min at random (default: the same). */
  watchTimeoutSeconds?: number;
  /** Page size of lists (default 500). */
  pageSize?: number;
  /** Per-request timeout of list pages (default 15000). */
  requestTimeoutMs?: number;
  /** First retry delay after a failed list or watch (default 1000), doubling to `maxBackoffMs` (default 30000). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

/** Per-cluster watches with relist and stall recovery. Changes go to every `onChange` listener; listeners must not throw. */
export interface KubeWatcher {
  onChange(listener: (change: WatchChange) => void): () => void;
  health(): WatchHealth[];
  /** Starts a full relist of every resource now (of one cluster, when given). */
  relist(cluster?: string): void;
  /** Names of the clusters being watched now (a cluster source's later additions included, its removals not). */
  clusters(): string[];
  close(): Promise<void>;
}
