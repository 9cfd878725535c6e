import "server-only";
import { credentialKindOf } from "@/lib/registry/docker-config";
import { KubeError } from "./errors";
import { readInventory } from "./inventory";
import { readObjects } from "./object-reads";
import { loadKubeconfigs, type LoadedContext } from "./kubeconfig";
import type { ClusterInfo, KubeGateway, KubeGatewayOptions, RetryOptions } from "./port";
import { readPods } from "./pull-events";
import { refreshSecretCopy } from "./refresh-copy";
import { rotateApiKey } from "./rotate-key";
import { accessReview, probeCluster } from "./probe";
import { ClusterTransport } from "./transport";
import * as writes from "./writes";

const DEFAULT_RETRY: RetryOptions = { attempts: 4, baseDelayMs: 200, maxDelayMs: 5000 };

export interface KubeGatewayExtras {
  /** Kubeconfig problems found while loading (unreadable files, contexts naming missing entries). */
  configProblems(): string[];
}

/**
 * Builds the Kubernetes gateway from kubeconfig files (or in-cluster config).
 * Configuration arrives as options: the caller maps environment variables.
 */
export function createKubeGateway(options: KubeGatewayOptions = {}): KubeGateway & KubeGatewayExtras {
  const loaded = loadKubeconfigs({
    ...(options.kubeconfigPaths ? { paths: options.kubeconfigPaths } : {}),
    ...(options.inCluster ? { inCluster: options.inCluster } : {}),
    ...(options.tokenClusters ? { tokenClusters: options.tokenClusters } : {}),
  });
  const byName = new Map<string, LoadedContext>(loaded.contexts.map((c) => [c.info.name, c]));
  const retry: RetryOptions = { ...DEFAULT_RETRY, ...(options.retry ?? {}) };
  const transportOpts = {
    requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
    concurrency: options.concurrency ?? 4,
    retry,
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
  };
  const transports = new Map<string, ClusterTransport>();
  const fieldManager = options.fieldManager ?? "pullkeeper";
  const pageSize = options.pageSize ?? 500;

  function context(cluster: string): LoadedContext {
    const c = byName.get(cluster);
    if (!c) throw new KubeError("not_found", `No kubeconfig context is named "${cluster}".`, { cluster });
    return c;
  }
  function transport(cluster: string): ClusterTransport {
    let t = transports.get(cluster);
    if (!t) {
      t = new ClusterTransport(cluster, context(cluster).kc, transportOpts);
      transports.set(cluster, t);
    }
    return t;
  }
  const w = (cluster: string): writes.WriteContext => ({ t: transport(cluster), fieldManager, conflictAttempts: Math.max(retry.attempts, 5) });

  return {
    listClusters: (): ClusterInfo[] => loaded.contexts.map((c) => ({ ...c.info })),
    configProblems: () => [...loaded.problems],
    probe: async (cluster) => probeCluster(transport(cluster), context(cluster).info.user),
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
    restartDeployment: (cluster, ref, opts) => writes.restartDeployment(w(cluster), ref, opts),
    deleteSecret: (cluster, ref, opts) => writes.deleteSecret(w(cluster), ref, opts),
    canI: async (cluster, check) => accessReview(transport(cluster), check),
    async withPullSecretCredentials(cluster, ref, consume) {
      const creds = await writes.readPullSecretCredentials(w(cluster), ref);
      return consume(creds.map((c) => ({ registry: c.registry, username: c.username, password: c.password, credentialKind: credentialKindOf(c.username) })));
    },
    close() {
      for (const t of transports.values()) t.close();
      transports.clear();
    },
  };
}
