"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authService } from "@/lib/auth/service";
import { logger } from "@/lib/log";
import { recordUserChange } from "@/lib/auth/user-audit";
import { action } from "../safe-action";
import { clusterLimitSchema, roleSchema, userIdSchema } from "./schemas";

/** Admin: gives a single sign-on user who waits for approval a role and cluster limit. */
export const approveUserAction = action(
  "users.manage",
  z.object({ userId: userIdSchema, role: roleSchema }).and(clusterLimitSchema.transform((clusters) => ({ clusters }))),
  async ({ input, user }) => {
    const { users } = await authService();
    const approved = await users.approve(input.userId, input.role, input.clusters);
    logger.info({ actor: user.email, target: approved.email, role: approved.role, clusters: approved.clusters }, "user approved");
    await recordUserChange(user, "user.approved", approved, { role: approved.role, clusters: approved.clusters });
    revalidatePath("/admin/users");
    return { id: approved.id, role: approved.role, clusters: approved.clusters };
  },
  // The clusters named here are the ones being granted, not the ones acted on.
  { name: "users.approve", scope: () => undefined },
);
