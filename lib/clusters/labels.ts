import type { ClusterStore } from "./store";

/**
 * A cluster's display name and labels as the rest of Pullkeeper reads them: keeping rules' cluster selectors, the
 * fleet page's label filter and every place a cluster is named. A cluster nobody edited (a kubeconfig context
 * without a row) has its own name and no labels.
 */
export interface ClusterLabelling {
  name: string;
  displayName: string;
  labels: Record<string, string>;
}

export const unlabelled = (name: string): ClusterLabelling => ({ name, displayName: name, labels: {} });

/** The labelling of each named cluster, in the order given, from one read of the stored clusters. */
export async function clusterLabelling(store: Pick<ClusterStore, "listClusters">, names: readonly string[]): Promise<ClusterLabelling[]> {
  const stored = new Map((await store.listClusters()).map((cluster) => [cluster.name, cluster] as const));
  return names.map((name) => {
    const row = stored.get(name);
    return row ? { name, displayName: row.displayName.trim() || name, labels: { ...row.labels } } : unlabelled(name);
  });
}

/** One cluster's labels now (rules judge their cluster scope with it at every evaluation). */
export async function currentClusterLabels(store: Pick<ClusterStore, "getCluster">, name: string): Promise<Record<string, string>> {
  return { ...((await store.getCluster(name))?.labels ?? {}) };
}
