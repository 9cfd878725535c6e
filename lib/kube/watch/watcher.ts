import "server-only";
import { KubeError } from "../errors";
import { loadKubeconfigs } from "../kubeconfig";
import { ClusterTransport } from "../transport";
import { ResourceInformer, type InformerOptions } from "./informer";
import { WATCHED_RESOURCES, type KubeWatchOptions, type KubeWatcher, type WatchableCluster, type WatchChange, type WatchClusterSource } from "./port";
import { sourcesFor, watchFor } from "./sources";

interface ClusterWatch {
  revision: string;
  transport: ClusterTransport;
  informers: ResourceInformer[];
}

/**
 * The kubeconfig files as a cluster source that never changes (tools and tests without a gateway).
 * Throws KubeError `not_found` for a requested cluster no kubeconfig context names.
 */
function kubeconfigSource(options: KubeWatchOptions): WatchClusterSource {
  const loaded = loadKubeconfigs({ ...(options.kubeconfigPaths ? { paths: options.kubeconfigPaths } : {}), ...(options.inCluster ? { inCluster: options.inCluster } : {}) });
  for (const name of options.clusters ?? []) {
    if (!loaded.contexts.some((c) => c.info.name === name)) throw new KubeError("not_found", `No kubeconfig context is named "${name}".`, { cluster: name });
  }
  const clusters: WatchableCluster[] = loaded.contexts.map((c) => ({ name: c.info.name, kc: c.kc, revision: c.revision }));
  return { current: () => clusters, onChange: () => () => {} };
}

/**
 * Starts one informer per cluster and watched resource (two for secrets: one
 * per pull-secret type), and keeps them in line with the cluster source: a
 * cluster that joins gets informers, one that leaves or is disabled has them
 * stopped, one whose server, CA or credentials changed (a new revision) has
 * them restarted on the new connection. Tokens come from the source's
 * KubeConfig on every request (a renewed IAM token is used by the next list or
 * watch). Configuration arrives as options, as for the gateway.
 */
export function startKubeWatcher(options: KubeWatchOptions = {}): KubeWatcher {
  const source = options.clusterSource ?? kubeconfigSource(options);
  const wanted = options.clusters ? new Set(options.clusters) : null;
  const informerOpts: InformerOptions = {
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
    stallAfterBookmarks: options.stallAfterBookmarks ?? 3,
    relistIntervalMs: options.relistIntervalMs ?? 10 * 60_000,
    // client-go spreads watch timeouts over 5–10 minutes so reconnects do not come in waves.
    watchTimeoutSeconds: () => options.watchTimeoutSeconds ?? 300 + Math.floor(Math.random() * 300),
    pageSize: options.pageSize ?? 500,
    initialBackoffMs: options.initialBackoffMs ?? 1_000,
    maxBackoffMs: options.maxBackoffMs ?? 30_000,
  };
  const listeners = new Set<(change: WatchChange) => void>();
  const emit = (change: WatchChange) => {
    for (const l of listeners) l(change);
  };
  const sources = sourcesFor(options.resources ?? WATCHED_RESOURCES);
  const watches = new Map<string, ClusterWatch>();
  /** Stops under way (a cluster that left or reconnected): `close` waits for them. */
  const stopping = new Set<Promise<void>>();
  let closed = false;

  function watchCluster({ name, kc, revision }: WatchableCluster): ClusterWatch {
    const transport = new ClusterTransport(name, kc, {
      requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
      concurrency: 2,
      retry: { attempts: 3, baseDelayMs: 200, maxDelayMs: 5_000 },
    });
    const plain = watchFor(kc, false);
    const metadataOnly = watchFor(kc, true);
    const informers = sources.map((s) => new ResourceInformer(s, transport, s.metadataOnly ? metadataOnly : plain, emit, informerOpts));
    for (const i of informers) i.start();
    return { revision, transport, informers };
  }

  function unwatch(name: string): void {
    const held = watches.get(name);
    if (!held) return;
    watches.delete(name);
    const stopped: Promise<void> = Promise.all(held.informers.map((i) => i.stop()))
      .then(() => held.transport.close())
      .finally(() => stopping.delete(stopped));
    stopping.add(stopped);
  }

  /** Brings the informers in line with the source: start the new, stop the gone, restart the reconnected. */
  function reconcile(): void {
    if (closed) return;
    const desired = new Map(source.current().filter((c) => !wanted || wanted.has(c.name)).map((c) => [c.name, c]));
    for (const name of [...watches.keys()]) {
      const next = desired.get(name);
      if (!next || next.revision !== watches.get(name)!.revision) unwatch(name);
    }
    for (const [name, cluster] of desired) if (!watches.has(name)) watches.set(name, watchCluster(cluster));
  }

  const unsubscribe = source.onChange(reconcile);
  reconcile();

  return {
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    health: () => [...watches.values()].flatMap((w) => w.informers.map((i) => i.health())),
    relist(cluster) {
      for (const [name, held] of watches) if (!cluster || name === cluster) for (const i of held.informers) i.relist();
    },
    clusters: () => [...watches.keys()],
    async close() {
      closed = true;
      unsubscribe();
      for (const name of [...watches.keys()]) unwatch(name);
      await Promise.all([...stopping]);
      listeners.clear();
    },
  };
}
