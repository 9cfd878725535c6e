import { z } from "zod";
import { isLegacySecret } from "@/lib/coverage";
import { apiKeyNameFor, serviceIdNameFor } from "@/lib/iam/conventions";
import type { PullSecretInventory } from "@/lib/kube/port";
import { ALL_ICR_IO_DOMAINS, ORIGINAL_ICR_DOMAINS, classifyHost, icrDomainInfo } from "@/lib/registry/domains";
import { ALL_ICR_IO_SECRET, perDomainSecretName } from "@/lib/registry/naming";
import { AccessChecker } from "./engine/access";
import type { WorkflowDeps } from "./engine/deps";
import type { Plan } from "./engine/plan";
import { PlanBuilder } from "./engine/plan-builder";
import { planAttachment } from "./shared/attach-steps";
import { IAM_STEP_KEYS, planIamChain } from "./shared/iam-steps";
import { InventoryIndex } from "./shared/inventory-index";
import { SERVICE_ACCOUNT, SOURCE_NAMESPACE, holdsApiKeysFor, planCopyUpdates, planImageRewrites, planLegacyRemoval, type DesiredSecret, type MigrationPlanning } from "./shared/migrate-stages";
import { clusterNameSchema, namespaceNameSchema } from "./shared/schemas";

/**
 * The seed's "update existing clusters to API-key pull secrets" section, with
 * the deprecated registry-token sections' clean-up as optional, separately
 * previewed stages.
 */
export const migrateToApiKeysInputSchema = z.object({
  cluster: clusterNameSchema,
  /** `per-domain`: default-{us,uk,de,au,jp}-icr-io + default-icr-io (2019 IKS). `all-icr-io`: one secret (2020+ IKS). */
  style: z.enum(["per-domain", "all-icr-io"]),
  /** Rewrite `registry.*.bluemix.net` images of Deployments in these namespaces to their icr.io successors. */
  rewriteImagesIn: z.array(namespaceNameSchema).max(5000).default([]),
  /** Give namespaces that hold copies of the token secrets copies of the new secrets, attached to their default SA. */
  updateCopies: z.boolean().default(false),
  /** Detach and delete the discontinued token secrets, once the new ones verified. */
  removeLegacy: z.boolean().default(false),
});
export type MigrateToApiKeysInput = z.infer<typeof migrateToApiKeysInputSchema>;


/** The convention the cluster already follows, to preselect in the form. */
export function suggestMigrationStyle(inventory: PullSecretInventory): MigrateToApiKeysInput["style"] {
  const names = new Set(inventory.pullSecrets.filter((s) => s.namespace === SOURCE_NAMESPACE).map((s) => s.name));
  if (names.has(ALL_ICR_IO_SECRET)) return "all-icr-io";
  return ORIGINAL_ICR_DOMAINS.some((domain) => names.has(perDomainSecretName(domain))) ? "per-domain" : "all-icr-io";
}


function desiredSecrets(style: MigrateToApiKeysInput["style"], imageDomains: Set<string>): DesiredSecret[] {
  if (style === "per-domain") {
    return ORIGINAL_ICR_DOMAINS.map((domain) => ({ name: perDomainSecretName(domain), domains: [domain], verify: [domain] }));
  }
  const verify = [...new Set([...ORIGINAL_ICR_DOMAINS, ...[...imageDomains].filter((d) => icrDomainInfo(d) && !icrDomainInfo(d)!.private)])];
  return [{ name: ALL_ICR_IO_SECRET, domains: [...ALL_ICR_IO_DOMAINS], verify }];
}


function createSecretOp(secret: DesiredSecret) {
  return {
    type: "secret.create" as const, ref: { namespace: SOURCE_NAMESPACE, name: secret.name }, domains: secret.domains,
    credential: { source: "api_key_step" as const, step: IAM_STEP_KEYS.apiKey }, email: "iamapikey", labels: {}, annotations: {},
  };
}

/** 1. Which API-key secrets `default` still needs; the ones there are skipped, or refused when they hold something else. */
function planDefaultSecretsInPlace(planning: MigrationPlanning): void {
  const { builder, index } = planning;
  for (const secret of planning.desired) {
    const existing = index.secret(SOURCE_NAMESPACE, secret.name);
    const key = `secret.create:${SOURCE_NAMESPACE}/${secret.name}`;
    const base = { key, group: "Pull secrets in default", stage: 3, op: createSecretOp(secret), target: { kind: "Secret", namespace: SOURCE_NAMESPACE, name: secret.name }, title: `Create ${SOURCE_NAMESPACE}/${secret.name}` };
    if (!existing) planning.missing.push(secret);
    else if (!holdsApiKeysFor(existing, secret.domains.filter((d) => ORIGINAL_ICR_DOMAINS.includes(d)))) {
      builder.add({
        ...base, status: "refused", beforeFingerprint: existing.credentialFingerprint,
        reason: `${SOURCE_NAMESPACE}/${secret.name} exists but does not hold IAM API keys for its registries; Pullkeeper does not overwrite it. Rename or remove it, or choose the other secret style.`,
      });
      planning.removalGuard.push(key);
    } else {
      planning.existingApiKeySecrets.push(secret);
      builder.add({ ...base, status: "skip", reason: "Already holds IAM API keys.", beforeFingerprint: existing.credentialFingerprint, afterFingerprint: existing.credentialFingerprint });
    }
  }
}

/** Warns ahead when IAM is missing or its permissions cannot all be confirmed; returns why IAM cannot be used, if so. */
async function iamPreflight(planning: MigrationPlanning): Promise<string | null> {
  const { deps, builder } = planning;
  if (!deps.iam) {
    const refusal = "IBM Cloud is not configured (IBMCLOUD_API_KEY): Pullkeeper cannot create the service ID and API key.";
    builder.warn({ code: "iam_not_configured", message: refusal });
    return refusal;
  }
  try {
    const preflight = await deps.iam.canManageServiceIds();
    if ([preflight.createServiceIds, preflight.createApiKeys, preflight.assignRegistryAccess].includes("unknown")) {
      builder.warn({ code: "iam_permission_unknown", message: `IAM permissions of ${preflight.identity.email ?? preflight.identity.iamId} could not all be confirmed ahead; the first IAM step will tell. ${preflight.notes.join(" ")}`.trim() });
    }
  } catch (error) {
    builder.warn({ code: "iam_permission_unknown", message: `The IAM permission check failed: ${(error as Error).message}` });
  }
  return null;
}

/** 2. IAM (service ID, Reader policy, API key) and the missing secrets that carry the key. */
async function planNewDefaultSecrets(planning: MigrationPlanning): Promise<void> {
  const { builder, deps, cluster } = planning;
  if (!planning.missing.length) return;
  const serviceIdName = serviceIdNameFor(cluster, SOURCE_NAMESPACE);
  await planIamChain(builder, deps, {
    cluster, namespace: SOURCE_NAMESPACE, role: "Reader", regions: [], registryNamespace: null, refusal: await iamPreflight(planning), inventory: planning.inventory,
    policyTitle: `Grant ${serviceIdName} Reader on Container Registry in every region (unless already granted)`,
    apiKeyTitle: `Create API key ${apiKeyNameFor(cluster, SOURCE_NAMESPACE)} (its value goes straight into the pull secrets, never shown or stored elsewhere)`,
  });
  const createAllowed = await planning.access.check({ verb: "create", resource: "secrets", namespace: SOURCE_NAMESPACE });
  for (const secret of planning.missing) {
    const key = `secret.create:${SOURCE_NAMESPACE}/${secret.name}`;
    planning.createKeys.push(key);
    const refusal = !deps.iam ? "Needs the API key that IAM cannot create here." : !createAllowed.allowed ? (createAllowed.reason ?? "Not allowed.") : null;
    builder.add({
      key, group: "Pull secrets in default", stage: 3, dependsOn: [IAM_STEP_KEYS.apiKey], op: createSecretOp(secret),
      target: { kind: "Secret", namespace: SOURCE_NAMESPACE, name: secret.name },
      title: `Create ${SOURCE_NAMESPACE}/${secret.name} with user iamapikey for ${secret.domains.length > 3 ? `${secret.domains.length} icr.io domains` : secret.domains.join(", ")}`,
      ...(refusal ? { status: "refused" as const, reason: refusal } : { status: "change" as const }),
    });
  }
}

/** 3. Attach to default's service account, then prove each domain works before anything is removed. */
async function planAttachAndVerify(planning: MigrationPlanning): Promise<void> {
  const { builder, deps, missing } = planning;
  await planAttachment(builder, planning.index, planning.access, {
    namespace: SOURCE_NAMESPACE, serviceAccount: SERVICE_ACCOUNT, names: planning.desired.map((secret) => secret.name), createdByPlan: missing.map((s) => s.name),
    dependsOn: planning.createKeys, stage: 4, restartPods: false,
  });
  const attachDefaultKey = `service_account.add:${SOURCE_NAMESPACE}/${SERVICE_ACCOUNT}`;
  if (builder.has(attachDefaultKey)) planning.removalGuard.push(attachDefaultKey);
  // New secrets are always proven; existing ones too when the token secrets are about to go,
  // so nothing is removed before a working replacement has answered the registry.
  for (const secret of [...missing, ...(planning.removalPlanned ? planning.existingApiKeySecrets : [])]) {
    const key = `registry.verify:${SOURCE_NAMESPACE}/${secret.name}`;
    const isNew = missing.includes(secret);
    planning.verifyKeys.push(key);
    builder.add({
      key, group: "Verification", stage: 5, dependsOn: isNew ? [`secret.create:${SOURCE_NAMESPACE}/${secret.name}`] : [],
      op: { type: "registry.verify", ref: { namespace: SOURCE_NAMESPACE, name: secret.name }, domains: secret.verify },
      target: { kind: "Secret", namespace: SOURCE_NAMESPACE, name: secret.name },
      title: `Verify ${secret.verify.join(", ")} against the registry with ${SOURCE_NAMESPACE}/${secret.name}`,
      status: isNew && !deps.iam ? "refused" : "change",
      ...(isNew && !deps.iam ? { reason: "Nothing to verify without the new secret." } : {}),
    });
  }
}

function startPlanning(input: MigrateToApiKeysInput, deps: WorkflowDeps, inventory: PullSecretInventory): MigrationPlanning {
  const imageDomains = new Set(
    inventory.workloads.flatMap((w) => w.images.map((i) => i.image.split("/")[0] ?? "")).filter((host) => classifyHost(host) === "icr"),
  );
  const legacySecrets = inventory.pullSecrets.filter(isLegacySecret);
  return {
    input, deps, inventory, cluster: input.cluster, index: new InventoryIndex(inventory), access: new AccessChecker(deps.kube, input.cluster), builder: new PlanBuilder(),
    desired: desiredSecrets(input.style, imageDomains), legacySecrets, removalPlanned: input.removeLegacy && legacySecrets.length > 0,
    missing: [], existingApiKeySecrets: [], removalGuard: [], createKeys: [], verifyKeys: [], copyKeysByNamespace: new Map(),
  };
}

export async function planMigrateToApiKeys(input: MigrateToApiKeysInput, deps: WorkflowDeps): Promise<Plan> {
  const inventory = await deps.kube.readPullSecretInventory(input.cluster);
  const planning = startPlanning(input, deps, inventory);
  planDefaultSecretsInPlace(planning);
  await planNewDefaultSecrets(planning);
  await planAttachAndVerify(planning);
  await planCopyUpdates(planning);
  await planImageRewrites(planning);
  await planLegacyRemoval(planning);
  for (const note of inventory.notes) planning.builder.warn({ code: "partial_read", message: note });
  return planning.builder.build({ kind: "migrate_to_api_keys", cluster: input.cluster, input, readAt: inventory.readAt });
}
