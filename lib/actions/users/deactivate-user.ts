"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authService } from "@/lib/auth/service";
import { logger } from "@/lib/log";
import { recordUserChange } from "@/lib/auth/user-audit";
import { ActionError, action } from "../safe-action";
import { userIdSchema } from "./schemas";

/** Admin: blocks a user's sign-in and ends all their sessions at once. */
export const deactivateUserAction = action(
  "users.manage",
  z.object({ userId: userIdSchema }),
  async ({ input, user }) => {
    if (input.userId === user.id) throw new ActionError("You cannot deactivate your own account.");
    const { users } = await authService();
    const changed = await users.deactivate(input.userId);
    logger.info({ actor: user.email, target: changed.email }, "user deactivated");
    await recordUserChange(user, "user.deactivated", changed);
    revalidatePath("/admin/users");
    return { id: changed.id, active: changed.active };
  },
  { name: "users.deactivate" },
);
