"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authService } from "@/lib/auth/service";
import { logger } from "@/lib/log";
import { recordUserChange } from "@/lib/auth/user-audit";
import { action } from "../safe-action";
import { userIdSchema } from "./schemas";

/** Admin: sets a new local password for a user (who is signed out everywhere). */
export const setUserPasswordAction = action(
  "users.manage",
  z.object({ userId: userIdSchema, password: z.string().max(1024) }),
  async ({ input, user }) => {
    const { users } = await authService();
    await users.setPassword(input.userId, input.password);
    const target = await users.get(input.userId);
    logger.info({ actor: user.email, target: target?.email }, "user password set by an admin");
    if (target) await recordUserChange(user, "user.password_set", target);
    revalidatePath("/admin/users");
    return { id: input.userId };
  },
  { name: "users.set_password" },
);
