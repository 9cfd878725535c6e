"use server";

import { revalidatePath } from "next/cache";
import { auditStore } from "@/lib/audit";
import { logger } from "@/lib/log";
import { invalidateCluster } from "@/lib/queries";
import { serverRoot } from "@/lib/server/root";
import { ports } from "@/lib/server/context";
import { DeleteSecretError, deletePullSecret } from "@/lib/workflows";
import { ActionError, action } from "../safe-action";
import { scannedSecret } from "./scanned-secret";
import { pullSecretRefSchema } from "./schemas";

/** Deletes a pull secret Pullkeeper created (never one made by anything else); audited as `delete_pull_secret`. */
export const deletePullSecretAction = action(
  "workflow.apply",
  pullSecretRefSchema,
  async ({ input, user }) => {
    try {
      const result = await deletePullSecret(
        {
          kube: ports().kube,
          audit: await auditStore(),
          runs: await serverRoot().runStates(),
          lookup: scannedSecret,
          invalidate: invalidateCluster,
        },
        input,
        user,
      );
      logger.info({ actor: user.email, cluster: input.cluster, namespace: input.namespace, secretName: input.secret, operationId: result.operationId }, "pull secret deleted");
      revalidatePath(`/clusters/${encodeURIComponent(input.cluster)}`, "layout");
      return result;
    } catch (error) {
      if (error instanceof DeleteSecretError) throw new ActionError(error.message);
      throw error;
    }
  },
  { name: "secrets.delete" },
);
