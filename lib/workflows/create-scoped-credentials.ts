import { z } from "zod";
import { apiKeyNameFor, serviceIdNameFor } from "@/lib/iam/conventions";
import { ORIGINAL_ICR_DOMAINS, PUBLIC_ICR_DOMAINS, regionOf } from "@/lib/registry/domains";
import { perDomainSecretName } from "@/lib/registry/naming";
import { AccessChecker } from "./engine/access";
import type { WorkflowDeps } from "./engine/deps";
import type { Plan } from "./engine/plan";
import { PlanBuilder } from "./engine/plan-builder";
import { planAttachment } from "./shared/attach-steps";
import { IAM_STEP_KEYS, planIamChain } from "./shared/iam-steps";
import { InventoryIndex } from "./shared/inventory-index";
import { clusterNameSchema, ibmRegionSchema, namespaceNameSchema, objectNameSchema, registryRoleSchema } from "./shared/schemas";

/**
 * The seed's "other accounts / restricted access" procedure for one namespace:
 * a service ID `<cluster>-<namespace>-id`, a container-registry policy with the
 * chosen role (optionally limited to regions and a registry namespace), an API
 * key `<cluster>-<namespace>-key`, and pull secrets holding it.
 */
export const createScopedCredentialsInputSchema = z.object({
  cluster: clusterNameSchema,
  namespace: namespaceNameSchema,
  role: registryRoleSchema.default("Reader"),
  regions: z.array(ibmRegionSchema).max(20).default([]),
  registryNamespace: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_-]{3,29}$/, "a registry namespace: 4 to 30 lower-case letters, digits, '-' or '_'")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  domains: z.array(z.string().refine((d) => PUBLIC_ICR_DOMAINS.includes(d), "an icr.io domain")).min(1, "choose at least one registry domain").default([...ORIGINAL_ICR_DOMAINS]),
  /** `per-domain`: one secret per domain (`<ns>-us-icr-io`). `single`: one secret for all of them. */
  style: z.enum(["per-domain", "single"]).default("single"),
  secretName: objectNameSchema.optional(),
  attach: z.boolean().default(true),
  serviceAccount: objectNameSchema.default("default"),
});
export type CreateScopedCredentialsInput = z.infer<typeof createScopedCredentialsInputSchema>;

/**
 * Pure: what makes this grant wider than the narrowest one (Reader, one region,
 * one registry namespace), as phrases for a refusal; empty when it is the narrowest.
 * Only an admin may grant more (lib/actions/workflows/shared.ts).
 */
export function widerGrantReasons(input: Pick<CreateScopedCredentialsInput, "role" | "regions" | "registryNamespace">): string[] {
  const reasons: string[] = [];
  if (input.role !== "Reader") reasons.push(`the ${input.role} role`);
  if (input.regions.length !== 1) reasons.push(input.regions.length === 0 ? "every region" : `${input.regions.length} regions`);
  if (!input.registryNamespace) reasons.push("every registry namespace");
  return reasons;
}

interface ScopedSecret {
  name: string;
  domains: string[];
}

/** The secrets the input asks for, over the domains the policy's regions cover (a warning names the others). */
function secretsToWrite(input: CreateScopedCredentialsInput, builder: PlanBuilder): ScopedSecret[] {
  const { namespace } = input;
  const domains = input.domains.filter((domain) => input.regions.length === 0 || (input.regions as string[]).includes(regionOf(domain) ?? "global"));
  if (domains.length < input.domains.length) {
    builder.warn({ code: "registry_unverified", message: `Left out ${input.domains.filter((d) => !domains.includes(d)).join(", ")}: the policy's regions do not cover them.` });
  }
  return input.style === "single"
    ? [{ name: input.secretName ?? `${namespace}-icr-io`, domains }]
    : domains.map((domain) => ({ name: perDomainSecretName(domain, namespace), domains: [domain] }));
}

function createSecretOp(namespace: string, secret: ScopedSecret) {
  return {
    type: "secret.create" as const, ref: { namespace, name: secret.name }, domains: secret.domains,
    credential: { source: "api_key_step" as const, step: IAM_STEP_KEYS.apiKey }, email: "iamapikey", labels: {}, annotations: {},
  };
}

function planExistingSecretSkips(builder: PlanBuilder, namespace: string, existing: ScopedSecret[]): void {
  for (const secret of existing) {
    builder.add({
      key: `secret.create:${namespace}/${secret.name}`, group: "Pull secrets", stage: 3, op: createSecretOp(namespace, secret),
      target: { kind: "Secret", namespace, name: secret.name }, title: `Create ${namespace}/${secret.name}`,
      status: "skip", reason: `${namespace}/${secret.name} already exists; delete it first to replace its credential.`,
    });
  }
}

/** One create and one verify step per missing secret, refused with the IAM or RBAC reason when they cannot happen. */
function planNewSecrets(builder: PlanBuilder, namespace: string, toCreate: ScopedSecret[], refusal: string | null): void {
  for (const secret of toCreate) {
    builder.add({
      key: `secret.create:${namespace}/${secret.name}`, group: "Pull secrets", stage: 3, dependsOn: [IAM_STEP_KEYS.apiKey], op: createSecretOp(namespace, secret),
      target: { kind: "Secret", namespace, name: secret.name },
      title: `Create ${namespace}/${secret.name} with user iamapikey for ${secret.domains.join(", ")}`,
      ...(refusal ? { status: "refused" as const, reason: refusal } : { status: "change" as const }),
    });
    builder.add({
      key: `registry.verify:${namespace}/${secret.name}`, group: "Verification", stage: 5,
      dependsOn: [`secret.create:${namespace}/${secret.name}`],
      op: { type: "registry.verify", ref: { namespace, name: secret.name }, domains: secret.domains },
      target: { kind: "Secret", namespace, name: secret.name },
      title: `Verify ${secret.domains.join(", ")} against the registry`,
      ...(refusal ? { status: "refused" as const, reason: "Nothing to verify without the new secret." } : { status: "change" as const }),
    });
  }
}

function iamRefusalFor(deps: WorkflowDeps, namespace: string, namespaceExists: boolean): string | null {
  if (!deps.iam) return "IBM Cloud is not configured (IBMCLOUD_API_KEY): Pullkeeper cannot create the service ID and API key.";
  return namespaceExists ? null : `Namespace ${namespace} does not exist or cannot be read.`;
}

function policyTitle(input: CreateScopedCredentialsInput, serviceIdName: string): string {
  const scope = [input.regions.length ? `regions ${input.regions.join(", ")}` : "every region", input.registryNamespace ? `registry namespace ${input.registryNamespace}` : null].filter(Boolean).join(", ");
  return `Grant ${serviceIdName} ${input.role} on Container Registry (${scope}) unless already granted`;
}

export async function planCreateScopedCredentials(input: CreateScopedCredentialsInput, deps: WorkflowDeps): Promise<Plan> {
  const { cluster, namespace } = input;
  const inventory = await deps.kube.readPullSecretInventory(cluster, { knownNamespaces: [namespace] });
  const index = new InventoryIndex(inventory);
  const access = new AccessChecker(deps.kube, cluster);
  const builder = new PlanBuilder();
  const secrets = secretsToWrite(input, builder);
  const namespaceExists = index.namespaceNames.has(namespace);
  const toCreate = secrets.filter((secret) => !index.secret(namespace, secret.name));
  const iamRefusal = iamRefusalFor(deps, namespace, namespaceExists);
  if (!deps.iam) builder.warn({ code: "iam_not_configured", message: iamRefusal! });

  planExistingSecretSkips(builder, namespace, secrets.filter((secret) => index.secret(namespace, secret.name)));
  if (toCreate.length) {
    const serviceIdName = serviceIdNameFor(cluster, namespace);
    await planIamChain(builder, deps, {
      cluster, namespace, role: input.role, regions: input.regions, registryNamespace: input.registryNamespace ?? null, refusal: iamRefusal, inventory,
      policyTitle: policyTitle(input, serviceIdName),
      apiKeyTitle: `Create API key ${apiKeyNameFor(cluster, namespace)} (its value goes only into the pull secret)`,
    });
    const allowed = namespaceExists ? await access.check({ verb: "create", resource: "secrets", namespace }) : { allowed: false, reason: iamRefusal };
    planNewSecrets(builder, namespace, toCreate, iamRefusal ?? (allowed.allowed ? null : (allowed.reason ?? "Not allowed.")));
  }
  if (input.attach && namespaceExists) {
    await planAttachment(builder, index, access, {
      namespace, serviceAccount: input.serviceAccount, names: secrets.map((s) => s.name), createdByPlan: toCreate.map((s) => s.name),
      dependsOn: toCreate.map((s) => `secret.create:${namespace}/${s.name}`), stage: 4, restartPods: false,
    });
  }
  for (const note of inventory.notes) builder.warn({ code: "partial_read", message: note });
  return builder.build({ kind: "create_scoped_credentials", cluster, input, readAt: inventory.readAt, namespaces: [namespace] });
}
