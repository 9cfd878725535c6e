"use server";

import { z } from "zod";
import { register } from "@/lib/server/cluster-registration";
import { registrationInputSchema } from "@/lib/workflows/registration/register-cluster";
import { action } from "../safe-action";
import { refreshClustersPage, registrationSourceShape, withOneRegistrationSource } from "./shared";

/** Admin: registers the previewed cluster (refused when the cluster changed since the preview); audited as `register_cluster`. */
export const registerClusterAction = action(
  "settings.manage",
  withOneRegistrationSource(registrationInputSchema.extend(registrationSourceShape).extend({ digest: z.string().regex(/^[0-9a-f]{64}$/, "Preview first.") })),
  async ({ input, user }) => {
    const result = await register(user, input);
    refreshClustersPage();
    return result;
  },
  { name: "clusters.register" },
);
