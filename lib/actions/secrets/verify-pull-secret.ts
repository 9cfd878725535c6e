"use server";

import { revalidatePath } from "next/cache";
import { auditStore } from "@/lib/audit";
import { escapeForAudit, recordAccessDenied } from "@/lib/auth/denials";
import { logger } from "@/lib/log";
import { invalidateCluster } from "@/lib/queries";
import { serverRoot } from "@/lib/server/root";
import { ports } from "@/lib/server/context";
import { VerifyCredentialsError, verifyPullSecretCredentials } from "@/lib/workflows";
import { ActionError, action } from "../safe-action";
import { scannedSecret } from "./scanned-secret";
import { pullSecretRefSchema } from "./schemas";

/** Asks each registry of one pull secret whether its credentials are accepted; audited as `verify_credentials`. */
export const verifyPullSecretAction = action(
  "workflow.plan",
  pullSecretRefSchema,
  async ({ input, user }) => {
    const p = ports();
    if (!p.kube.listClusters().some((cluster) => cluster.name === input.cluster)) {
      // A name that is no cluster is not stored as one: only as a denial, escaped.
      await recordAccessDenied({ user, permission: "workflow.plan", target: `secrets.verify: unknown cluster "${escapeForAudit(input.cluster)}"`, via: "action" });
      throw new ActionError("No cluster by that name is configured.");
    }
    try {
      const result = await verifyPullSecretCredentials(
        { kube: p.kube, verifyRegistry: p.verifyRegistry, audit: await auditStore(), runs: await serverRoot().runStates(), lookup: scannedSecret },
        input,
        user,
      );
      logger.info({ actor: user.email, cluster: input.cluster, namespace: input.namespace, secretName: input.secret, status: result.status }, "pull secret verified");
      // The check also asked IAM who owns each key, which can change which copies are stale: rescan.
      invalidateCluster(input.cluster);
      revalidatePath(`/clusters/${encodeURIComponent(input.cluster)}`, "layout");
      return result;
    } catch (error) {
      if (error instanceof VerifyCredentialsError) throw new ActionError(error.message);
      throw error;
    }
  },
  { name: "secrets.verify" },
);
