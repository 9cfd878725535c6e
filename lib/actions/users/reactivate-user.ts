"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authService } from "@/lib/auth/service";
import { logger } from "@/lib/log";
import { recordUserChange } from "@/lib/auth/user-audit";
import { action } from "../safe-action";
import { userIdSchema } from "./schemas";

/** Admin: lets a deactivated user sign in again. */
export const reactivateUserAction = action(
  "users.manage",
  z.object({ userId: userIdSchema }),
  async ({ input, user }) => {
    const { users } = await authService();
    const changed = await users.reactivate(input.userId);
    logger.info({ actor: user.email, target: changed.email }, "user reactivated");
    await recordUserChange(user, "user.reactivated", changed);
    revalidatePath("/admin/users");
    return { id: changed.id, active: changed.active };
  },
  { name: "users.reactivate" },
);
