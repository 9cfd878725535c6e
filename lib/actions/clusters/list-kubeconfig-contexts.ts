"use server";

import { listContexts } from "@/lib/server/cluster-registration";
import { action } from "../safe-action";
import { kubeconfigUploadSchema } from "./shared";

/** Admin: the context names of an uploaded kubeconfig, to choose one (nothing is checked, loaded or kept). */
export const listKubeconfigContextsAction = action("settings.manage", kubeconfigUploadSchema.pick({ kubeconfig: true }), async ({ input }) => listContexts(input.kubeconfig), {
  name: "clusters.list_kubeconfig_contexts",
});
