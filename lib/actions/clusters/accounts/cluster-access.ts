"use server";

import { z } from "zod";
import { accountCluster, checkClusterAccess, syncClusterAccess } from "@/lib/server/cloud-accounts";
import { action } from "../../safe-action";
import { accountIdSchema, clusterNameSchema, refreshAccountPages } from "./shared";

const clusterOfAccount = z.object({ accountId: accountIdSchema, name: clusterNameSchema });

/** Admin: asks an added cluster, with the account's current IAM token, whether it answers; says what to grant when not. Writes nothing. */
export const checkCloudClusterAction = action(
  "settings.manage",
  clusterOfAccount,
  async ({ input }) => {
    const { account, cluster } = await accountCluster(input.accountId, input.name);
    return checkClusterAccess(cluster, account);
  },
  { name: "clusters.check_cloud_cluster" },
);

/** Admin: asks IBM again to write the key's role into the cluster's RBAC (after a role was granted); audited as `cloud_cluster.access_synced`. */
export const syncCloudClusterAccessAction = action(
  "settings.manage",
  clusterOfAccount,
  async ({ input, user }) => {
    const check = await syncClusterAccess(user, input.accountId, input.name);
    refreshAccountPages();
    return check;
  },
  { name: "clusters.sync_cloud_cluster_access" },
);
