import { z } from "zod";
import { clusterNameSchema, namespaceNameSchema, objectNameSchema } from "@/lib/workflows/shared/schemas";

/** One pull secret, as the namespace page's Verify and Delete buttons send it. */
export const pullSecretRefSchema = z.object({
  cluster: clusterNameSchema,
  namespace: namespaceNameSchema,
  secret: objectNameSchema,
});
export type PullSecretRefInput = z.infer<typeof pullSecretRefSchema>;
