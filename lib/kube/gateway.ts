import "server-only";
import { credentialKindOf } from "@/lib/registry/docker-config";
import { authKindOf, type ClusterAuthKind } from "./auth-kind";
import { KubeError } from "./errors";
import { readInventory } from "./inventory";
import { readObjects } from "./object-reads";
import { LiveClusterSet, type ClusterSetChange } from "./cluster-set";
import { defaultKubeconfigPath, type LoadedContext } from "./kubeconfig";
import type { ClusterInfo, KubeGateway, KubeGatewayOptions, RetryOptions, TokenSourceCluster } from "./port";
import { readPods } from "./pull-events";
import { refreshSecretCopy } from "./refresh-copy";
import { restartWorkload } from "./restart-workload";
import { rotateApiKey } from "./rotate-key";
import { accessReview, probeCluster } from "./probe";
import { ClusterTransport } from "./transport";
import type { WatchClusterSource } from "./watch/port";
import * as writes from "./writes";

const DEFAULT_RETRY: RetryOptions = { attempts: 4, baseDelayMs: 200, maxDelayMs: 5000 };

export interface KubeGatewayExtras {
  /** Kubeconfig problems found while loading (unreadable files, contexts naming missing entries, a broken edit). */
  configProblems(): string[];
  /** Every cluster, disabled ones included, with how its user authenticates (the admin's clusters page); `listClusters` leaves disabled ones out. */
  listAllClusters(): Array<ClusterInfo & { disabled: boolean; auth: ClusterAuthKind }>;
  /** Replaces the token-source clusters (stored IBM Cloud and registered clusters): new ones join, changed ones reconnect, gone ones close. */
  setTokenClusters(clusters: TokenSourceCluster[]): ClusterSetChange;
  /** Clusters left out of `listClusters` (scans, rules, the fleet) while still reachable by name. */
  setDisabledClusters(names: Iterable<string>): void;
  /** Re-reads the kubeconfig files now (they are also watched when `watchKubeconfigs` is set). */
  reloadKubeconfigs(): ClusterSetChange;
  /** Told whenever clusters join, reconnect or leave, or are disabled or enabled. */
  onClustersChanged(listener: (change: ClusterSetChange) => void): () => void;
  /** The enabled clusters with their connections, as they change: what lib/kube/watch follows. */
  watchableClusters(): WatchClusterSource;
}

/** A transport whose cluster changed or left is closed after this long, so requests already on it can finish. */
const RETIRE_AFTER_MS = 30_000;

/**
 * One transport per cluster and connection revision: a cluster whose server, CA or credentials
 * changed gets a new one, and the old one (like a removed cluster's) is closed once requests
 * already on it had time to finish.
 */
function transportPool(set: LiveClusterSet, transportOpts: ConstructorParameters<typeof ClusterTransport>[2]) {
  const transports = new Map<string, { revision: string; transport: ClusterTransport }>();
  const retiring = new Set<NodeJS.Timeout>();
  function context(cluster: string): LoadedContext {
    const c = set.get(cluster);
    if (!c) throw new KubeError("not_found", `No cluster is named "${cluster}" (no kubeconfig context, stored cluster or in-cluster account has that name).`, { cluster });
    return c;
  }
  function retire(t: ClusterTransport): void {
    const timer = setTimeout(() => {
      retiring.delete(timer);
      t.close();
    }, RETIRE_AFTER_MS);
    timer.unref();
    retiring.add(timer);
  }
  function transport(cluster: string): ClusterTransport {
    const ctx = context(cluster);
    let held = transports.get(cluster);
    if (!held || held.revision !== ctx.revision) {
      if (held) retire(held.transport);
      held = { revision: ctx.revision, transport: new ClusterTransport(cluster, ctx.kc, transportOpts) };
      transports.set(cluster, held);
    }
    return held.transport;
  }
  set.onChange((change) => {
    for (const name of [...change.replaced, ...change.removed]) {
      const held = transports.get(name);
      if (!held) continue;
      transports.delete(name);
      retire(held.transport);
    }
  });
  function close(): void {
    for (const timer of retiring) clearTimeout(timer);
    retiring.clear();
    for (const held of transports.values()) held.transport.close();
    transports.clear();
  }
  return { context, transport, close };
}

/**
 * Builds the Kubernetes gateway over a live set of clusters: kubeconfig files (re-read when they change
 * with `watchKubeconfigs`), in-cluster config and token-source clusters the caller can replace at runtime.
 * Configuration arrives as options: the caller maps environment variables.
 */
export function createKubeGateway(options: KubeGatewayOptions = {}): KubeGateway & KubeGatewayExtras {
  const paths = options.kubeconfigPaths;
  const set = new LiveClusterSet({
    kubeconfigPaths: typeof paths === "function" ? paths : () => paths ?? (options.inCluster ? [] : [defaultKubeconfigPath()]),
    ...(options.inCluster ? { inCluster: options.inCluster } : {}),
    ...(options.tokenClusters ? { tokenClusters: options.tokenClusters } : {}),
    ...(options.watchKubeconfigs ? { watch: options.watchKubeconfigs } : {}),
  });
  const retry: RetryOptions = { ...DEFAULT_RETRY, ...(options.retry ?? {}) };
  const transportOpts = {
    requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
    concurrency: options.concurrency ?? 4,
    retry,
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
  };
  const { context, transport, close: closeTransports } = transportPool(set, transportOpts);
  const fieldManager = options.fieldManager ?? "pullkeeper";
  const pageSize = options.pageSize ?? 500;
  const w = (cluster: string): writes.WriteContext => ({ t: transport(cluster), fieldManager, conflictAttempts: Math.max(retry.attempts, 5) });

  return {
    listClusters: (): ClusterInfo[] => set.all().filter((c) => !set.isDisabled(c.info.name)).map((c) => ({ ...c.info })),
    listAllClusters: () => set.all().map((c) => ({ ...c.info, disabled: set.isDisabled(c.info.name), auth: authKindOf(c.kc.getCurrentUser()) })),
    configProblems: () => set.problems(),
    setTokenClusters: (clusters) => set.setTokenClusters(clusters),
    setDisabledClusters: (names) => set.setDisabled(names),
    reloadKubeconfigs: () => set.reload(),
    onClustersChanged: (listener) => set.onChange(listener),
    watchableClusters: () => ({
      current: () => set.all().filter((c) => !set.isDisabled(c.info.name)).map((c) => ({ name: c.info.name, kc: c.kc, revision: c.revision })),
      onChange: (listener) => set.onChange(() => listener()),
    }),
    // A token Pullkeeper keeps has no user of anyone's choosing: its kubeconfig user name is internal, never shown.
    probe: async (cluster) => {
      const c = context(cluster);
      return probeCluster(transport(cluster), authKindOf(c.kc.getCurrentUser()) === "token-source" ? null : c.info.user);
    },
    readPullSecretInventory: (cluster, opts) =>
      readInventory(transport(cluster), { pageSize, contextNamespace: context(cluster).info.namespace, ...(opts?.knownNamespaces ? { knownNamespaces: opts.knownNamespaces } : {}) }),
    readObjects: (cluster, keys) => readObjects(transport(cluster), keys),
    readPods: (cluster, namespace) => readPods(transport(cluster), namespace),
    createPullSecret: (cluster, secret) => writes.createPullSecret(w(cluster), secret),
    copySecret: (cluster, from, to, opts) => writes.copySecret(w(cluster), from, to, opts),
    refreshSecretCopy: (cluster, from, to, opts) => refreshSecretCopy(w(cluster), from, to, opts),
    rotateApiKey: (cluster, ref, opts) => rotateApiKey(w(cluster), ref, opts),
    addImagePullSecrets: (cluster, ns, sa, names, known) => writes.addImagePullSecrets(w(cluster), ns, sa, names, known),
    removeImagePullSecrets: (cluster, ns, sa, names, known) => writes.removeImagePullSecrets(w(cluster), ns, sa, names, known),
    setDeploymentImages: (cluster, ref, rewrite) => writes.setDeploymentImages(w(cluster), ref, rewrite),
    restartWorkload: (cluster, ref, opts) => restartWorkload(w(cluster), ref, opts),
    deleteSecret: (cluster, ref, opts) => writes.deleteSecret(w(cluster), ref, opts),
    canI: async (cluster, check) => accessReview(transport(cluster), check),
    async withPullSecretCredentials(cluster, ref, consume) {
      const creds = await writes.readPullSecretCredentials(w(cluster), ref);
      return consume(creds.map((c) => ({ registry: c.registry, username: c.username, password: c.password, credentialKind: credentialKindOf(c.username) })));
    },
    close() {
      set.close();
      closeTransports();
    },
  };
}
