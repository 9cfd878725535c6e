"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authService } from "@/lib/auth/service";
import { logger } from "@/lib/log";
import { recordUserChange } from "@/lib/auth/user-audit";
import { action } from "../safe-action";
import { clusterLimitSchema, userIdSchema } from "./schemas";

/** Admin: limits a user to some clusters, or lifts the limit. */
export const setUserClustersAction = action(
  "users.manage",
  z.object({ userId: userIdSchema }).and(clusterLimitSchema.transform((clusters) => ({ clusters }))),
  async ({ input, user }) => {
    const { users } = await authService();
    const changed = await users.setClusters(input.userId, input.clusters);
    logger.info({ actor: user.email, target: changed.email, clusters: changed.clusters }, "user cluster limits changed");
    await recordUserChange(user, "user.clusters_changed", changed, { clusters: changed.clusters });
    revalidatePath("/admin/users");
    return { id: changed.id, clusters: changed.clusters };
  },
  // The clusters named here are the ones being granted, not the ones acted on.
  { name: "users.set_clusters", scope: () => undefined },
);
