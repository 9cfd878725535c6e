/**
 * Where a registered cluster's connection is kept: its name, server, CA and the service account's token (the only
 * credential; the admin's kubeconfig is never kept). What the registration made in the cluster is found there again
 * by its labels and `pullkeeper.io/registered-as` annotation (objects.ts), so nothing else needs storing. Implemented
 * over lib/clusters' store (`registeredClustersOver`); tests may use the memory one.
 */

export interface RegisteredCluster {
  name: string;
  server: string;
  caPem: string | null;
}

export interface RegisteredClusterStore {
  /** Keeps the cluster and its token; "exists" (nothing changed) when a cluster of that name is already known. */
  save(cluster: RegisteredCluster, token: string, actor: string): Promise<"saved" | "exists">;
  /** A registered cluster, without its token; null when no cluster of that name was registered. */
  get(name: string): Promise<RegisteredCluster | null>;
  /** Every registered cluster (to tell one registration's objects from another's on the same server). */
  list(): Promise<RegisteredCluster[]>;
  /** Forgets the cluster and its token; false when there was none. */
  forget(name: string): Promise<boolean>;
}
