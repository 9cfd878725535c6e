import "server-only";
import { isPullkeeperError } from "@/lib/errors";
import type { RegisteredClusterStore } from "@/lib/workflows/registration/port";
import type { ClusterStore } from "./store";

/** The cluster registration workflow's store port over the cluster connections store (registered clusters only). */
export function registeredClustersOver(store: ClusterStore): RegisteredClusterStore {
  return {
    async save(cluster, token, actor) {
      try {
        await store.saveRegisteredCluster({ name: cluster.name, server: cluster.server, caPem: cluster.caPem, token }, actor);
        return "saved";
      } catch (e) {
        if (isPullkeeperError(e) && e.kind === "conflict") return "exists";
        throw e;
      }
    },
    async get(name) {
      const row = await store.getCluster(name);
      return row && row.source === "registered" && row.server ? { name: row.name, server: row.server, caPem: row.caPem } : null;
    },
    async list() {
      return (await store.listClusters()).flatMap((row) => (row.source === "registered" && row.server ? [{ name: row.name, server: row.server, caPem: row.caPem }] : []));
    },
    async forget(name) {
      if (!(await this.get(name))) return false;
      return (await store.removeCluster(name)) !== null;
    },
  };
}
