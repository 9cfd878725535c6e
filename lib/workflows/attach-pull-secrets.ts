import { z } from "zod";
import { AccessChecker } from "./engine/access";
import type { WorkflowDeps } from "./engine/deps";
import type { Plan } from "./engine/plan";
import { PlanBuilder } from "./engine/plan-builder";
import { planAttachment } from "./shared/attach-steps";
import { InventoryIndex } from "./shared/inventory-index";
import { clusterNameSchema, namespaceNameSchema, objectNameSchema } from "./shared/schemas";

/** The seed's "store the image pull secret in the service account" step, for many namespaces at once. */
export const attachPullSecretsInputSchema = z.object({
  cluster: clusterNameSchema,
  namespaces: z.array(namespaceNameSchema).min(1, "choose at least one namespace").max(5000),
  serviceAccount: objectNameSchema.default("default"),
  secrets: z.array(objectNameSchema).min(1, "choose at least one secret").max(50),
  restartPods: z.boolean().default(false),
});
export type AttachPullSecretsInput = z.infer<typeof attachPullSecretsInputSchema>;

export async function planAttachPullSecrets(input: AttachPullSecretsInput, deps: WorkflowDeps): Promise<Plan> {
  const inventory = await deps.kube.readPullSecretInventory(input.cluster, { knownNamespaces: input.namespaces });
  const index = new InventoryIndex(inventory);
  const access = new AccessChecker(deps.kube, input.cluster);
  const builder = new PlanBuilder();
  const namespaces = [...new Set(input.namespaces)].sort();
  for (const namespace of namespaces) {
    if (!index.namespaceNames.has(namespace)) {
      builder.add({
        key: `service_account.add:${namespace}/${input.serviceAccount}`,
        op: { type: "service_account.add", namespace, serviceAccount: input.serviceAccount, names: input.secrets },
        target: { kind: "ServiceAccount", namespace, name: input.serviceAccount },
        title: `Attach ${input.secrets.join(", ")} to ${namespace}/${input.serviceAccount}`,
        group: "Service accounts",
        status: "refused",
        reason: `Namespace ${namespace} does not exist or cannot be read.`,
      });
      continue;
    }
    await planAttachment(builder, index, access, {
      namespace,
      serviceAccount: input.serviceAccount,
      names: input.secrets,
      stage: 0,
      restartPods: input.restartPods,
    });
  }
  for (const note of inventory.notes) builder.warn({ code: "partial_read", message: note });
  return builder.build({ kind: "attach_pull_secrets", cluster: input.cluster, input, readAt: inventory.readAt, namespaces });
}
