"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { AuthError } from "@/lib/auth/permissions";
import { authService } from "@/lib/auth/service";
import { logger } from "@/lib/log";
import { recordUserChange } from "@/lib/auth/user-audit";
import { action } from "../safe-action";
import { userIdSchema } from "./schemas";

/** Admin: refuses a single sign-on user who waits for approval; they are deactivated and signed out. */
export const rejectUserAction = action(
  "users.manage",
  z.object({ userId: userIdSchema }),
  async ({ input, user }) => {
    const { users } = await authService();
    const pending = await users.get(input.userId);
    if (!pending) throw new AuthError("not_found", "That user no longer exists.");
    if (!pending.pending) throw new AuthError("conflict", "This user is not waiting for approval; deactivate them instead.");
    const rejected = await users.deactivate(input.userId);
    logger.info({ actor: user.email, target: rejected.email }, "user rejected");
    await recordUserChange(user, "user.rejected", rejected);
    revalidatePath("/admin/users");
    return { id: rejected.id, active: rejected.active };
  },
  { name: "users.reject" },
);
