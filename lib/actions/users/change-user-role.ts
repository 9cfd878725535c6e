"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authService } from "@/lib/auth/service";
import { logger } from "@/lib/log";
import { recordUserChange } from "@/lib/auth/user-audit";
import { action } from "../safe-action";
import { roleSchema, userIdSchema } from "./schemas";

/** Admin: gives a user another role; takes effect on their next request. */
export const changeUserRoleAction = action(
  "users.manage",
  z.object({ userId: userIdSchema, role: roleSchema }),
  async ({ input, user }) => {
    const { users } = await authService();
    const changed = await users.changeRole(input.userId, input.role);
    logger.info({ actor: user.email, target: changed.email, role: changed.role }, "user role changed");
    await recordUserChange(user, "user.role_changed", changed, { role: changed.role });
    revalidatePath("/admin/users");
    return { id: changed.id, role: changed.role };
  },
  { name: "users.change_role" },
);
