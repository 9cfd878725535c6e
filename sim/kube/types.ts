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
  /** API groups (`""` core, `apps`, `*`); omitted: every group (the preset identities). Rules from stored RBAC always carry them. */
  apiGroups?: string[];
  /** Object names the rule is limited to; requests without a name (list, watch, create) never match such a rule. */
  resourceNames?: string[];
}

/** A bearer-token identity known to one simulated cluster. */
export interface KubeSimUser {
  name: string;
  token: string;
  rules: KubeSimRule[];
  /** The authenticator's user uid (a service account's uid for its tokens); none for the preset and IAM users. */
  uid?: string;
  /** Groups for RBAC subjects of kind Group (always with `system:authenticated`); default none besides it. */
  groups?: string[];
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
  /**
   * The API server's max-inflight / Priority and Fairness rejection: while this many resource requests are being
   * served (watches excepted, as long-running requests are), another one is answered at once with 429, a text/plain
   * `Too many requests, please try again later.` body and `Retry-After` (`retryAfterSeconds`, default 1).
   */
  maxInflight?: number;
  /** Fraction (0..1) of update (PUT) and patch requests answered 409 Conflict. */
  conflictRate?: number;
  /** The next N update/patch requests are answered 409 Conflict (counts down). */
  conflictNext?: number;
  /** Fraction (0..1) of resource requests whose socket is destroyed without an answer. */
  dropRate?: number;
  /** Seed of the fault PRNG, for reproducible runs. */
  seed?: number;
  /**
   * While set, every API request (`/version`, discovery and resources alike; not `/_sim/*`) is accepted and never
   * answered, the connection held open: a cluster that stopped answering, which a client only notices by its own timeout.
   */
  hang?: boolean;
  /**
   * Watches open while this is set (and those opened while it is set) keep their connection
   * and never send another event, bookmark or timeout close, even after the fault is cleared:
   * the silent watch a client must detect itself.
   */
  stallWatches?: boolean;
  /** While set, every watch that resumes from a resourceVersion gets `410 Expired`, as after an etcd compaction. */
  watchResumeExpired?: boolean;
}

/**
 * Bearer JWTs from an OIDC issuer (the IBM Cloud simulator's IAM, `<url>/identity`), verified
 * like kube-apiserver's `--oidc-issuer-url` authenticator: RS256 signature against the issuer's
 * JWKS, `iss`, `exp`. The user is `<usernamePrefix><email or iam_id>`.
 */
export interface KubeSimOidcOptions {
  issuerUrl: string;
  /** Default `IAM#`, as IKS names IAM identities in RBAC subjects. */
  usernamePrefix?: string;
  /** RBAC of IAM identities known from the start (by user name); `POST /_sim/iam-rbac` adds more. */
  users?: Record<string, KubeSimRule[]>;
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
  /** Interval of BOOKMARK events on watches with `allowWatchBookmarks=true` (default 60000, like the API server). */
  watchBookmarkIntervalMs?: number;
  /** The workload controller and kubelet (Deployments make Pods, Pods are scheduled and pull images); off when omitted. */
  kubelet?: KubeletOptions;
  /** Also accept IAM tokens (see KubeSimOidcOptions); static users keep working. */
  oidc?: KubeSimOidcOptions;
  /** Called for every API request (not control requests) before it is handled; for tests that assert on wire details. */
  onRequest?: (r: KubeSimRequestRecord) => void;
}

/** What a custom pull verifier is asked: may these credentials pull this image? */
export interface KubeletPullCheck {
  image: string;
  domain: string;
  /** The credentials the pod's own pull secrets hold for `domain` (empty: anonymous pull). */
  credentials: { username: string; password: string }[];
}

/**
 * The simulated workload controller and kubelet. Private images (icr.io, bluemix.net) are
 * pulled through `registryUrlTemplate` (the IBM Cloud simulator's registries) or decided by
 * `pullVerifier`; without either, private registries are unreachable. Public hosts
 * (docker.io, registry.k8s.io, quay.io, ghcr.io, gcr.io, public.ecr.aws, mcr.microsoft.com) pull anonymously.
 */
export interface KubeletOptions {
  /** Node names (default three IKS-style worker IPs). */
  nodes?: string[];
  /** Images already in a node's cache at start; Running seeded pods add theirs. */
  nodeImages?: Record<string, string[]>;
  /** `http(s)://host:port/{domain}`: where each private registry domain answers (Docker Registry v2). */
  registryUrlTemplate?: string;
  /** CA for an https registry. */
  registryCaPem?: string;
  /** Decides pulls instead of the registry; `detail` is the runtime's reason after "failed to resolve reference". */
  pullVerifier?: (check: KubeletPullCheck) => Promise<{ ok: true } | { ok: false; detail: string }>;
  /** Images (as written in the pod spec, or fully qualified) no registry holds: pulls end in `not found`. */
  missingImages?: string[];
  /** First retry delay after a failed pull (default 10000 ms); doubles per failure up to `backOffMaxMs` (default 300000). */
  backOffInitialMs?: number;
  backOffMaxMs?: number;
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
  /** The most resource requests served at once (watches excepted), and how many were refused by `maxInflight`. */
  peakInflight: number;
  rejectedInflight: number;
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
  /** Drops the watch history (an etcd compaction): resuming from any older resourceVersion then answers 410. */
  compactHistory?(): void;
  close(): Promise<void>;
}
