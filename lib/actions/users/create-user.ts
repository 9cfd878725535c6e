"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authService } from "@/lib/auth/service";
import { logger } from "@/lib/log";
import { recordUserChange } from "@/lib/auth/user-audit";
import { action } from "../safe-action";
import { clusterLimitSchema, roleSchema } from "./schemas";

const createUserSchema = z
  .object({
    email: z.email("Enter an email address.").trim().max(320),
    name: z.string().trim().min(1, "Enter a name.").max(200),
    role: roleSchema,
    password: z.string().max(1024),
  })
  .and(clusterLimitSchema.transform((clusters) => ({ clusters })));

/** Admin: creates a local account with a role and optional cluster limits. */
export const createUserAction = action(
  "users.manage",
  createUserSchema,
  async ({ input, user }) => {
    const { users } = await authService();
    const created = await users.createLocalUser(input);
    logger.info({ actor: user.email, target: created.email, role: created.role, clusters: created.clusters }, "user created");
    await recordUserChange(user, "user.created", created, { role: created.role, clusters: created.clusters });
    revalidatePath("/admin/users");
    return { id: created.id, email: created.email };
  },
  { name: "users.create" },
);
