"use server";

import { previewRegistration } from "@/lib/server/cluster-registration";
import { registrationInputSchema } from "@/lib/workflows/registration/register-cluster";
import { action } from "../safe-action";
import { registrationSourceShape, withOneRegistrationSource } from "./shared";

/** Admin: what registering the cluster of an uploaded (or KUBECONFIG) context would create or reuse, and what stands in the way. Writes nothing. */
export const previewClusterRegistrationAction = action("settings.manage", withOneRegistrationSource(registrationInputSchema.extend(registrationSourceShape)), async ({ input }) => previewRegistration(input), {
  name: "clusters.preview_registration",
});
