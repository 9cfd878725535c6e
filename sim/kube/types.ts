/**
 * Public types of the simulated Kubernetes API server. The shapes are a contract
 * with the lead and with the kube adapter's tests: extend only with optional fields.
 */

/** One RBAC-like rule: every listed verb on every listed resource in the listed namespaces. */
export interface KubeSimRule {
  /** `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`, or `*`. */
  verbs: string[];
  /** Plural resource names (`secrets`, `namespaces`, `deployments`, ...) or `*`. */
  resources: string[];
  /**
   * Namespaces the rule applies to; entries may end with `*` (prefix match).
   * Omitted means every namespace and the cluster scope (cluster-wide lists,
   * namespace objects themselves).
   */
  namespaces?: string[];
}

/** A bearer-token identity known to one simulated cluster. */
export interface KubeSimUser {
  name: string;
  token: string;
  rules: KubeSimRule[];
}

/**
 * Fault injection for one cluster. Faults apply to resource requests (CRUD,
 * list, watch, patch, access reviews), never to discovery, OpenAPI or the
 * `/_sim` control endpoints, so clients can always find the API.
 */
export interface KubeSimFaults {
  /** Added delay before every resource request is answered. */
  latencyMs?: number;
  /** Fraction (0..1) of resource requests answered 500 InternalError or 503 ServiceUnavailable. */
  errorRate?: number;
  /** Fraction (0..1) of resource requests answered 429 TooManyRequests with Retry-After. */
  rateLimitRate?: number;
  /** The next N resource requests are answered 429 (counts down). */
  rateLimitNext?: number;
  /** Retry-After value for injected 429s (default 1). */
  retryAfterSeconds?: number;
  /** Fraction (0..1) of update (PUT) and patch requests answered 409 Conflict. */
  conflictRate?: number;
  /** The next N update/patch requests are answered 409 Conflict (counts down). */
  conflictNext?: number;
  /** Fraction (0..1) of resource requests whose socket is destroyed without an answer. */
  dropRate?: number;
  /** Seed of the fault PRNG, for reproducible runs. */
  seed?: number;
}

export interface KubeSimServerVersion {
  major: string;
  minor: string;
  gitVersion: string;
}

export interface KubeSimOptions {
  /** Cluster name: used as kubeconfig cluster and context name. */
  name: string;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Listen address, default 127.0.0.1. */
  host?: string;
  /** HTTPS with a freshly generated CA (default true). kubectl sends tokens only over HTTPS. */
  tls?: boolean;
  /** Identities; default: admin, viewer, no-secrets, team-a (see README). */
  users?: KubeSimUser[];
  /** Initial objects (Namespace, Secret, ServiceAccount, Pod, Deployment), JSON form. */
  objects?: unknown[];
  faults?: KubeSimFaults;
  serverVersion?: KubeSimServerVersion;
  /** When set: state is loaded from this JSON file if it exists (instead of `objects`) and saved to it after writes and on close. */
  stateFile?: string;
  /** Delay before a Terminating namespace is purged (default 200 ms). */
  namespaceDeletionDelayMs?: number;
  /** Token for `/_sim/*` control endpoints (default: random). */
  controlToken?: string;
  /** Called for every API request (not control requests) before it is handled; for tests that assert on wire details. */
  onRequest?: (r: KubeSimRequestRecord) => void;
}

export interface KubeSimRequestRecord {
  method: string;
  path: string;
  query: string;
  contentType: string | undefined;
  accept: string | undefined;
  user: string | null;
}

export interface KubeSimStats {
  total: number;
  /** Counts by `<verb> <resource>` (e.g. `list secrets`, `patch serviceaccounts`, `create selfsubjectaccessreviews`, `discovery`). */
  byKey: Record<string, number>;
}

export interface KubeSim {
  name: string;
  /** Base URL, e.g. `https://127.0.0.1:41234`. */
  url: string;
  /** PEM of the CA that signed the server certificate; null when tls is false. */
  caPem: string | null;
  /** user name -> bearer token */
  tokens: Record<string, string>;
  controlToken: string;
  setFaults(f: KubeSimFaults): void;
  stats(): KubeSimStats;
  resetStats(): void;
  /** A kubeconfig (YAML) with one context named after the cluster (or `contextName`), user `admin` unless given. */
  kubeconfig(opts?: { user?: string; contextName?: string }): string;
  close(): Promise<void>;
}
