"use server";

import { z } from "zod";
import { removeCloudAccount } from "@/lib/server/cloud-accounts";
import { action } from "../../safe-action";
import { accountIdSchema, refreshAccountPages } from "./shared";

/** Admin: removes an account with its clusters and join rules (listed in the confirmation first); audited as `cloud_account.removed`. */
export const removeCloudAccountAction = action(
  "settings.manage",
  z.object({ accountId: accountIdSchema, confirm: z.literal("yes", "Confirm the removal first.") }),
  async ({ input, user }) => {
    const removed = await removeCloudAccount(user, input.accountId);
    refreshAccountPages();
    return removed;
  },
  { name: "clusters.remove_account" },
);
