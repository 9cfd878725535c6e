/** How the Kubernetes gateway is built: configuration, retries and the metrics hook (the port itself is in port.ts). */

export interface RetryOptions {
  /** Attempts in total, including the first (default 4). */
  attempts: number;
  /** First backoff delay; doubles each time with jitter (default 200 ms). */
  baseDelayMs: number;
  /** Upper bound of one wait, including a server's Retry-After (default 5000 ms). */
  maxDelayMs: number;
}

/** The pod's own cluster, as the kubelet describes it (KUBERNETES_SERVICE_HOST/PORT and the mounted service account). */
export interface InClusterOptions {
  name: string;
  host: string;
  port: number;
  /** Holds `token` (re-read as it rotates), `ca.crt` and `namespace`. */
  serviceAccountDir: string;
}

export interface KubeGatewayOptions {
  /** Kubeconfig files, merged in order as kubectl merges KUBECONFIG (first wins). Default: `~/.kube/config` when inCluster is false. */
  kubeconfigPaths?: string[] | (() => string[]);
  /** Re-read the kubeconfig files when they change (fs.watch, with a stat poll every `pollMs`, default 5 s). */
  watchKubeconfigs?: { pollMs?: number; debounceMs?: number };
  /** Use the pod's service account: adds one cluster, named `inCluster.name`, after the kubeconfig contexts. */
  inCluster?: InClusterOptions;
  /** Per-request timeout (default 15000). */
  requestTimeoutMs?: number;
  /** The most concurrent requests per cluster (default 4); the adaptive level (adaptive-concurrency.ts) stays at or below it. */
  concurrency?: number;
  retry?: Partial<RetryOptions>;
  /** Page size for cluster-wide lists (default 500, as kubectl uses). */
  pageSize?: number;
  /** Value of the `fieldManager` parameter on writes (default `pullkeeper`). */
  fieldManager?: string;
  /** Told of every HTTP attempt (retries included) once it answered or failed; for metrics. Must not throw. */
  onRequest?: (event: KubeRequestEvent) => void;
  /** Clusters reached with a token from a function (IBM Cloud clusters, lib/iks), after the kubeconfig contexts. */
  tokenClusters?: TokenSourceCluster[];
}

/** A cluster whose bearer token is asked for on every request, so it can be renewed under the caller's feet. */
export interface TokenSourceCluster {
  name: string;
  server: string;
  caPem: string | null;
  namespace?: string;
  /** Changes when what the token function hands out changes for good (a replaced service-account token): the transport is rebuilt. */
  revision?: string;
  /** The current token; may reject (no token can be had now), which fails that request. */
  token: () => Promise<string>;
}

/** One attempt at one API request: no path, namespace or body, only what is safe and bounded to count. */
export interface KubeRequestEvent {
  cluster: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** The HTTP status, or the error kind when no answer came (`timeout`, `tls_error`, `unavailable`). */
  code: string;
  durationSeconds: number;
}
