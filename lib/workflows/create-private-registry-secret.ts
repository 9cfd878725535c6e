import { z } from "zod";
import { normalizeRegistryHost } from "@/lib/registry/domains";
import { credentialSetFingerprint } from "@/lib/registry/fingerprint";
import { AccessChecker } from "./engine/access";
import type { RunSecrets, WorkflowDeps } from "./engine/deps";
import type { Plan } from "./engine/plan";
import { PlanBuilder } from "./engine/plan-builder";
import { planAttachment } from "./shared/attach-steps";
import { InventoryIndex } from "./shared/inventory-index";
import { clusterNameSchema, namespaceNameSchema, objectNameSchema, registryHostSchema } from "./shared/schemas";

/** The seed's "other private registries" section: `kubectl create secret docker-registry`, validated and verified. */
export const createPrivateRegistrySecretInputSchema = z.object({
  cluster: clusterNameSchema,
  namespace: namespaceNameSchema,
  secretName: objectNameSchema,
  server: registryHostSchema,
  username: z.string().trim().min(1, "a username is required").max(255),
  password: z.string().min(1, "a password or token is required").max(8192),
  email: z.string().trim().email("an e-mail address").or(z.literal("")).default(""),
  attach: z.boolean().default(true),
  serviceAccount: objectNameSchema.default("default"),
  verify: z.boolean().default(true),
});
export type CreatePrivateRegistrySecretInput = z.infer<typeof createPrivateRegistrySecretInputSchema>;

/** The input as the audit log and the plan may keep it: the password is never part of a plan. */
export function privateRegistryPlanInput(input: CreatePrivateRegistrySecretInput): Record<string, unknown> {
  const { password: _password, ...rest } = input;
  return rest;
}

export function privateRegistrySecrets(input: CreatePrivateRegistrySecretInput): RunSecrets {
  return { privateRegistry: { server: input.server, username: input.username, password: input.password, email: input.email } };
}

export async function planCreatePrivateRegistrySecret(input: CreatePrivateRegistrySecretInput, deps: WorkflowDeps): Promise<Plan> {
  const { cluster, namespace, secretName } = input;
  const inventory = await deps.kube.readPullSecretInventory(cluster, { knownNamespaces: [namespace] });
  const index = new InventoryIndex(inventory);
  const access = new AccessChecker(deps.kube, cluster);
  const builder = new PlanBuilder();
  const key = `secret.create:${namespace}/${secretName}`;
  const existing = index.secret(namespace, secretName);
  // A server Pullkeeper may not contact (loopback, private, metadata…) is refused before anything is written.
  const serverRefusal = await deps.registryRefusal?.(input.server);
  const allowed = serverRefusal
    ? { allowed: false, reason: serverRefusal }
    : index.namespaceNames.has(namespace)
      ? await access.check({ verb: "create", resource: "secrets", namespace })
      : { allowed: false, reason: `Namespace ${namespace} does not exist or cannot be read.` };
  builder.add({
    key, group: "Pull secrets", stage: 0,
    op: { type: "secret.create", ref: { namespace, name: secretName }, domains: [input.server], credential: { source: "private_registry" }, email: input.email, labels: {}, annotations: {} },
    target: { kind: "Secret", namespace, name: secretName },
    title: `Create ${namespace}/${secretName} for ${input.server} with user ${input.username}`,
    // The fingerprint the new secret will have puts the typed password into the digest, never the password itself.
    ...(existing ? {} : { afterFingerprint: credentialSetFingerprint([{ registry: normalizeRegistryHost(input.server), username: input.username, password: input.password }]) }),
    ...(existing
      ? { status: "skip" as const, reason: `${namespace}/${secretName} already exists; delete it first or choose another name.`, beforeFingerprint: existing.credentialFingerprint }
      : allowed.allowed
        ? { status: "change" as const }
        : { status: "refused" as const, reason: allowed.reason ?? "Not allowed." }),
  });
  if (input.verify && !existing) {
    builder.add({
      key: `registry.verify:${namespace}/${secretName}`, group: "Verification", stage: 2, dependsOn: [key],
      op: { type: "registry.verify", ref: { namespace, name: secretName }, domains: [input.server] },
      target: { kind: "Secret", namespace, name: secretName },
      title: `Verify the credential against ${input.server}`,
      status: allowed.allowed ? "change" : "refused",
      ...(allowed.allowed ? {} : { reason: "Nothing to verify without the secret." }),
    });
  }
  if (input.attach && index.namespaceNames.has(namespace)) {
    await planAttachment(builder, index, access, {
      namespace, serviceAccount: input.serviceAccount, names: [secretName], createdByPlan: existing ? [] : [secretName],
      dependsOn: existing ? [] : [key], stage: 1, restartPods: false,
    });
  }
  for (const note of inventory.notes) builder.warn({ code: "partial_read", message: note });
  return builder.build({ kind: "create_private_registry_secret", cluster, input: privateRegistryPlanInput(input), readAt: inventory.readAt, namespaces: [namespace] });
}
