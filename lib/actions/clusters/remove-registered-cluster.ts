"use server";

import { z } from "zod";
import { previewRemoval, remove } from "@/lib/server/cluster-registration";
import { removalInputSchema } from "@/lib/workflows/registration/remove-cluster";
import { action } from "../safe-action";
import { kubeconfigUploadSchema, refreshClustersPage } from "./shared";

const removalSchema = removalInputSchema.extend({ kubeconfig: kubeconfigUploadSchema.shape.kubeconfig.optional(), context: kubeconfigUploadSchema.shape.context });

/** Admin: what removing a registered cluster would delete in it (with a context that may) and what it leaves. Writes nothing. */
export const previewClusterRemovalAction = action("settings.manage", removalSchema, async ({ input }) => previewRemoval(input), { name: "clusters.preview_removal" });

/** Admin: forgets a registered cluster's credential and, when asked with a context, deletes what its registration made; audited as `remove_cluster`. */
export const removeRegisteredClusterAction = action(
  "settings.manage",
  removalSchema.extend({ confirm: z.literal(true, "Preview the removal first.") }),
  async ({ input, user }) => {
    const result = await remove(user, input);
    refreshClustersPage();
    return result;
  },
  { name: "clusters.remove_registered" },
);
