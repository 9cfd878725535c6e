"use server";

import { z } from "zod";
import { connectCloudAccount } from "@/lib/server/cloud-accounts";
import { action } from "../../safe-action";
import { refreshAccountPages } from "./shared";

const connectAccountSchema = z.object({
  displayName: z.string().trim().min(1, "Name the account as people here know it.").max(100, "At most 100 characters."),
  // IBM Cloud API keys are 44 characters; anything far off is a paste of something else.
  apiKey: z.string().trim().min(20, "This is not an IBM Cloud API key (they are 44 characters).").max(200, "This is not an IBM Cloud API key (they are 44 characters)."),
});

/**
 * Admin: connects an IBM Cloud account with an API key. IAM must accept the key and say whose it is; the
 * key is sealed and never returned (the answer is whose key it is), logged or audited. Audited as
 * `cloud_account.connected`.
 */
export const connectCloudAccountAction = action(
  "settings.manage",
  connectAccountSchema,
  async ({ input, user }) => {
    const account = await connectCloudAccount(user, input);
    refreshAccountPages();
    return { id: account.id, displayName: account.displayName, ownerKind: account.ownerKind, ownerName: account.ownerName, ownerIamId: account.ownerIamId, ibmAccountId: account.ibmAccountId, keyCreatedAt: account.keyCreatedAt };
  },
  { name: "clusters.connect_account" },
);
