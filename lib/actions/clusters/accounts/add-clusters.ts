"use server";

import { z } from "zod";
import { addCloudClusters } from "@/lib/server/cloud-accounts";
import { action } from "../../safe-action";
import { accountIdSchema, clusterNameSchema, endpointSchema, iksClusterIdSchema, refreshAccountPages } from "./shared";

const addClustersSchema = z.object({
  accountId: accountIdSchema,
  clusters: z
    .array(z.object({ iksClusterId: iksClusterIdSchema, endpoint: endpointSchema, name: clusterNameSchema.optional() }))
    .min(1, "Choose at least one cluster.")
    .max(200, "At most 200 clusters at once.")
    .refine((list) => new Set(list.map((c) => c.iksClusterId)).size === list.length, "A cluster is chosen twice."),
});

/**
 * Admin: adds chosen clusters of an account. Each stands alone: one that cannot be reached is returned with
 * IBM's reason and what to grant, the others are added and join the live gateway. Audited per cluster.
 */
export const addCloudClustersAction = action(
  "settings.manage",
  addClustersSchema,
  async ({ input, user }) => {
    const outcomes = await addCloudClusters(user, input.accountId, input.clusters);
    refreshAccountPages();
    return outcomes;
  },
  { name: "clusters.add_cloud_clusters" },
);
