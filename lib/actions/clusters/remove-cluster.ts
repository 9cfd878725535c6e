"use server";

import { z } from "zod";
import { removeIbmCluster } from "@/lib/clusters/admin";
import { clusterAdminPorts } from "@/lib/server/cluster-admin";
import { action } from "../safe-action";
import { clusterNameSchema, expectedVersionSchema, refreshClustersPage } from "./shared";

/**
 * Admin: forgets an IBM Cloud cluster; audited as `cluster.removed`. Registered clusters go through
 * `removeRegisteredClusterAction`; kubeconfig contexts are refused with the reason (disable them instead).
 */
export const removeClusterAction = action(
  "settings.manage",
  z.object({ cluster: clusterNameSchema, expectedVersion: expectedVersionSchema }),
  async ({ input, user }) => {
    const { joinedByRule } = await removeIbmCluster(await clusterAdminPorts(), user, { name: input.cluster, expectedVersion: input.expectedVersion });
    refreshClustersPage();
    return {
      cluster: input.cluster,
      message: joinedByRule
        ? `Removed ${input.cluster}. A join rule of its account added it and will add it again: change the rule on the IBM Cloud accounts page to keep it out.`
        : `Removed ${input.cluster}.`,
    };
  },
  { name: "clusters.remove" },
);
