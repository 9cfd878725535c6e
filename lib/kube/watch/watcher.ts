import "server-only";
import { KubeError } from "../errors";
import { loadKubeconfigs } from "../kubeconfig";
import { ClusterTransport } from "../transport";
import { ResourceInformer, type InformerOptions } from "./informer";
import { WATCHED_RESOURCES, type KubeWatchOptions, type KubeWatcher, type WatchChange } from "./port";
import { sourcesFor, watchFor } from "./sources";

/**
 * Starts one informer per cluster and watched resource (two for secrets: one
 * per pull-secret type). Configuration arrives as options, as for the gateway.
 * Throws KubeError `not_found` for a requested cluster no kubeconfig context names.
 */
export function startKubeWatcher(options: KubeWatchOptions = {}): KubeWatcher {
  const loaded = loadKubeconfigs({ ...(options.kubeconfigPaths ? { paths: options.kubeconfigPaths } : {}), ...(options.inCluster ? { inCluster: options.inCluster } : {}) });
  const wanted = options.clusters ?? loaded.contexts.map((c) => c.info.name);
  const contexts = wanted.map((name) => {
    const c = loaded.contexts.find((x) => x.info.name === name);
    if (!c) throw new KubeError("not_found", `No kubeconfig context is named "${name}".`, { cluster: name });
    return c;
  });
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
  const transports: ClusterTransport[] = [];
  const informers = new Map<string, ResourceInformer[]>();
  for (const { info, kc } of contexts) {
    const transport = new ClusterTransport(info.name, kc, {
      requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
      concurrency: 2,
      retry: { attempts: 3, baseDelayMs: 200, maxDelayMs: 5_000 },
    });
    transports.push(transport);
    const plain = watchFor(kc, false);
    const metadataOnly = watchFor(kc, true);
    informers.set(
      info.name,
      sources.map((s) => new ResourceInformer(s, transport, s.metadataOnly ? metadataOnly : plain, emit, informerOpts)),
    );
  }
  for (const list of informers.values()) for (const i of list) i.start();

  return {
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    health: () => [...informers.values()].flat().map((i) => i.health()),
    relist(cluster) {
      for (const [name, list] of informers) if (!cluster || name === cluster) for (const i of list) i.relist();
    },
    clusters: () => [...informers.keys()],
    async close() {
      await Promise.all([...informers.values()].flat().map((i) => i.stop()));
      for (const t of transports) t.close();
      listeners.clear();
    },
  };
}
