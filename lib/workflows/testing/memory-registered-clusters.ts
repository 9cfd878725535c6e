import type { RegisteredCluster, RegisteredClusterStore } from "../registration/port";

/** A registered-cluster store in memory (tests, and the demo until the clusters module keeps them). */
export function createMemoryRegisteredClusters(): RegisteredClusterStore & { token(name: string): string | undefined; all(): RegisteredCluster[] } {
  const clusters = new Map<string, { cluster: RegisteredCluster; token: string }>();
  return {
    async save(cluster, token) {
      if (clusters.has(cluster.name)) return "exists";
      clusters.set(cluster.name, { cluster: structuredClone(cluster), token });
      return "saved";
    },
    async get(name) {
      const entry = clusters.get(name);
      return entry ? structuredClone(entry.cluster) : null;
    },
    async forget(name) {
      return clusters.delete(name);
    },
    token: (name) => clusters.get(name)?.token,
    all: () => [...clusters.values()].map((e) => structuredClone(e.cluster)),
  };
}
