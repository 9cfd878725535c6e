"use server";

import { updateClusterDetails } from "@/lib/clusters/admin";
import { clusterAdminPorts, wakeRulesFor } from "@/lib/server/cluster-admin";
import { action } from "../safe-action";
import { clusterDetailsSchema, refreshClustersPage } from "./shared";

/** Admin: a cluster's display name and labels, compare-and-set on its version; audited as `cluster.updated`. Rules choosing clusters by label judge it at once. */
export const updateClusterDetailsAction = action(
  "settings.manage",
  clusterDetailsSchema,
  async ({ input, user }) => {
    const saved = await updateClusterDetails(await clusterAdminPorts(), user, { name: input.cluster, displayName: input.displayName, labels: input.labels, expectedVersion: input.expectedVersion });
    await wakeRulesFor(saved.name);
    refreshClustersPage();
    return { cluster: saved.name, version: saved.version };
  },
  { name: "clusters.update_details" },
);
