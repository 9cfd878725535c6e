import { z } from "zod";
import { isLegacySecret } from "@/lib/coverage";
import { apiKeyDescriptionFor, apiKeyNameFor, serviceIdDescriptionFor, serviceIdNameFor } from "@/lib/iam/conventions";
import type { PullSecretDto, PullSecretInventory } from "@/lib/kube/port";
import { ALL_ICR_IO_DOMAINS, ORIGINAL_ICR_DOMAINS, classifyHost, icrDomainInfo } from "@/lib/registry/domains";
import { rewriteLegacyImage } from "@/lib/registry/image-ref";
import { ALL_ICR_IO_SECRET, perDomainSecretName } from "@/lib/registry/naming";
import { AccessChecker } from "./engine/access";
import type { WorkflowDeps } from "./engine/deps";
import type { Plan } from "./engine/plan";
import { PlanBuilder } from "./engine/plan-builder";
import { planLeftBehindKeyCleanup } from "./shared/api-key-ledger";
import { planAttachment } from "./shared/attach-steps";
import { copyName } from "./copy-pull-secrets";
import { InventoryIndex, managedByLabel } from "./shared/inventory-index";
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

const SOURCE_NAMESPACE = "default";
const SERVICE_ACCOUNT = "default";

/** The convention the cluster already follows, to preselect in the form. */
export function suggestMigrationStyle(inventory: PullSecretInventory): MigrateToApiKeysInput["style"] {
  const names = new Set(inventory.pullSecrets.filter((s) => s.namespace === SOURCE_NAMESPACE).map((s) => s.name));
  if (names.has(ALL_ICR_IO_SECRET)) return "all-icr-io";
  return ORIGINAL_ICR_DOMAINS.some((domain) => names.has(perDomainSecretName(domain))) ? "per-domain" : "all-icr-io";
}

interface DesiredSecret {
  name: string;
  /** Domains written into the secret. */
  domains: string[];
  /** Domains verified against the registry after writing. */
  verify: string[];
}

function desiredSecrets(style: MigrateToApiKeysInput["style"], imageDomains: Set<string>): DesiredSecret[] {
  if (style === "per-domain") {
    return ORIGINAL_ICR_DOMAINS.map((domain) => ({ name: perDomainSecretName(domain), domains: [domain], verify: [domain] }));
  }
  const verify = [...new Set([...ORIGINAL_ICR_DOMAINS, ...[...imageDomains].filter((d) => icrDomainInfo(d) && !icrDomainInfo(d)!.private)])];
  return [{ name: ALL_ICR_IO_SECRET, domains: [...ALL_ICR_IO_DOMAINS], verify }];
}

function holdsApiKeysFor(secret: PullSecretDto, domains: readonly string[]): boolean {
  return domains.every((domain) => secret.registries.some((entry) => entry.registry === domain && entry.credentialKind === "iam-api-key"));
}

export async function planMigrateToApiKeys(input: MigrateToApiKeysInput, deps: WorkflowDeps): Promise<Plan> {
  const inventory = await deps.kube.readPullSecretInventory(input.cluster);
  const index = new InventoryIndex(inventory);
  const access = new AccessChecker(deps.kube, input.cluster);
  const builder = new PlanBuilder();
  const { cluster } = input;

  const imageDomains = new Set(
    inventory.workloads.flatMap((w) => w.images.map((i) => i.image.split("/")[0] ?? "")).filter((host) => classifyHost(host) === "icr"),
  );
  const desired = desiredSecrets(input.style, imageDomains);
  const legacySecrets = inventory.pullSecrets.filter(isLegacySecret);

  // 1. Which API-key secrets `default` still needs.
  const missing: DesiredSecret[] = [];
  const existingApiKeySecrets: DesiredSecret[] = [];
  /** Steps that must succeed before any token secret is removed. */
  const removalGuard: string[] = [];
  const removalPlanned = input.removeLegacy && legacySecrets.length > 0;
  for (const secret of desired) {
    const existing = index.secret(SOURCE_NAMESPACE, secret.name);
    if (!existing) missing.push(secret);
    else if (!holdsApiKeysFor(existing, secret.domains.filter((d) => ORIGINAL_ICR_DOMAINS.includes(d)))) {
      builder.add({
        key: `secret.create:${SOURCE_NAMESPACE}/${secret.name}`, group: "Pull secrets in default", stage: 3,
        op: { type: "secret.create", ref: { namespace: SOURCE_NAMESPACE, name: secret.name }, domains: secret.domains, credential: { source: "api_key_step", step: "iam.create_api_key" }, email: "iamapikey", labels: {}, annotations: {} },
        target: { kind: "Secret", namespace: SOURCE_NAMESPACE, name: secret.name },
        title: `Create ${SOURCE_NAMESPACE}/${secret.name}`, status: "refused", beforeFingerprint: existing.credentialFingerprint,
        reason: `${SOURCE_NAMESPACE}/${secret.name} exists but does not hold IAM API keys for its registries; Pullkeeper does not overwrite it. Rename or remove it, or choose the other secret style.`,
      });
      removalGuard.push(`secret.create:${SOURCE_NAMESPACE}/${secret.name}`);
    } else {
      existingApiKeySecrets.push(secret);
      builder.add({
        key: `secret.create:${SOURCE_NAMESPACE}/${secret.name}`, group: "Pull secrets in default", stage: 3,
        op: { type: "secret.create", ref: { namespace: SOURCE_NAMESPACE, name: secret.name }, domains: secret.domains, credential: { source: "api_key_step", step: "iam.create_api_key" }, email: "iamapikey", labels: {}, annotations: {} },
        target: { kind: "Secret", namespace: SOURCE_NAMESPACE, name: secret.name },
        title: `Create ${SOURCE_NAMESPACE}/${secret.name}`, status: "skip", reason: "Already holds IAM API keys.",
        beforeFingerprint: existing.credentialFingerprint, afterFingerprint: existing.credentialFingerprint,
      });
    }
  }

  // 2. IAM: service ID, Reader policy, API key (only when a secret must be written).
  const iamKeys = { serviceId: "iam.ensure_service_id", policy: "iam.ensure_policy", apiKey: "iam.create_api_key" };
  if (missing.length) {
    const serviceIdName = serviceIdNameFor(cluster, SOURCE_NAMESPACE);
    const iamRefusal = deps.iam ? null : "IBM Cloud is not configured (IBMCLOUD_API_KEY): Pullkeeper cannot create the service ID and API key.";
    if (!deps.iam) builder.warn({ code: "iam_not_configured", message: iamRefusal! });
    else {
      try {
        const preflight = await deps.iam.canManageServiceIds();
        if ([preflight.createServiceIds, preflight.createApiKeys, preflight.assignRegistryAccess].includes("unknown")) {
          builder.warn({ code: "iam_permission_unknown", message: `IAM permissions of ${preflight.identity.email ?? preflight.identity.iamId} could not all be confirmed ahead; the first IAM step will tell. ${preflight.notes.join(" ")}`.trim() });
        }
      } catch (error) {
        builder.warn({ code: "iam_permission_unknown", message: `The IAM permission check failed: ${(error as Error).message}` });
      }
    }
    const iamStatus = iamRefusal ? { status: "refused" as const, reason: iamRefusal } : { status: "change" as const };
    builder.add({
      key: iamKeys.serviceId, group: "IBM Cloud IAM", stage: 0, ...iamStatus,
      op: { type: "iam.ensure_service_id", name: serviceIdName, description: serviceIdDescriptionFor(cluster, SOURCE_NAMESPACE) },
      target: { kind: "ServiceID", name: serviceIdName },
      title: `Find or create service ID ${serviceIdName}`,
    });
    builder.add({
      key: iamKeys.policy, group: "IBM Cloud IAM", stage: 1, dependsOn: [iamKeys.serviceId], ...iamStatus,
      op: { type: "iam.ensure_policy", serviceIdStep: iamKeys.serviceId, role: "Reader", regions: [], registryNamespace: null },
      target: { kind: "AccessPolicy", name: `${serviceIdName}: Reader on container-registry` },
      title: `Grant ${serviceIdName} Reader on Container Registry in every region (unless already granted)`,
    });
    const keyName = apiKeyNameFor(cluster, SOURCE_NAMESPACE);
    builder.add({
      key: iamKeys.apiKey, group: "IBM Cloud IAM", stage: 2, dependsOn: [iamKeys.serviceId, iamKeys.policy], ...iamStatus,
      op: { type: "iam.create_api_key", serviceIdStep: iamKeys.serviceId, name: keyName, description: apiKeyDescriptionFor(serviceIdName, cluster, SOURCE_NAMESPACE) },
      target: { kind: "APIKey", name: keyName },
      title: `Create API key ${keyName} (its value goes straight into the pull secrets, never shown or stored elsewhere)`,
    });
    if (!iamRefusal) await planLeftBehindKeyCleanup(builder, deps, { cluster, keyName, inventory, stage: 2 });
  }

  const createAllowed = await access.check({ verb: "create", resource: "secrets", namespace: SOURCE_NAMESPACE });
  const createKeys: string[] = [];
  for (const secret of missing) {
    const key = `secret.create:${SOURCE_NAMESPACE}/${secret.name}`;
    createKeys.push(key);
    const refusal = !deps.iam ? "Needs the API key that IAM cannot create here." : !createAllowed.allowed ? (createAllowed.reason ?? "Not allowed.") : null;
    builder.add({
      key, group: "Pull secrets in default", stage: 3, dependsOn: [iamKeys.apiKey],
      op: {
        type: "secret.create", ref: { namespace: SOURCE_NAMESPACE, name: secret.name }, domains: secret.domains,
        credential: { source: "api_key_step", step: iamKeys.apiKey }, email: "iamapikey", labels: {}, annotations: {},
      },
      target: { kind: "Secret", namespace: SOURCE_NAMESPACE, name: secret.name },
      title: `Create ${SOURCE_NAMESPACE}/${secret.name} with user iamapikey for ${secret.domains.length > 3 ? `${secret.domains.length} icr.io domains` : secret.domains.join(", ")}`,
      ...(refusal ? { status: "refused" as const, reason: refusal } : { status: "change" as const }),
    });
  }

  // 3. Attach to default's service account, then prove each domain works.
  const names = desired.map((secret) => secret.name);
  await planAttachment(builder, index, access, {
    namespace: SOURCE_NAMESPACE, serviceAccount: SERVICE_ACCOUNT, names, createdByPlan: missing.map((s) => s.name),
    dependsOn: createKeys, stage: 4, restartPods: false,
  });
  const attachDefaultKey = `service_account.add:${SOURCE_NAMESPACE}/${SERVICE_ACCOUNT}`;
  if (builder.has(attachDefaultKey)) removalGuard.push(attachDefaultKey);
  const verifyKeys: string[] = [];
  // New secrets are always proven; existing ones too when the token secrets are about to go,
  // so nothing is removed before a working replacement has answered the registry.
  for (const secret of [...missing, ...(removalPlanned ? existingApiKeySecrets : [])]) {
    const key = `registry.verify:${SOURCE_NAMESPACE}/${secret.name}`;
    const isNew = missing.includes(secret);
    verifyKeys.push(key);
    builder.add({
      key, group: "Verification", stage: 5, dependsOn: isNew ? [`secret.create:${SOURCE_NAMESPACE}/${secret.name}`] : [],
      op: { type: "registry.verify", ref: { namespace: SOURCE_NAMESPACE, name: secret.name }, domains: secret.verify },
      target: { kind: "Secret", namespace: SOURCE_NAMESPACE, name: secret.name },
      title: `Verify ${secret.verify.join(", ")} against the registry with ${SOURCE_NAMESPACE}/${secret.name}`,
      status: isNew && !deps.iam ? "refused" : "change",
      ...(isNew && !deps.iam ? { reason: "Nothing to verify without the new secret." } : {}),
    });
  }

  // 4. Optional: copies for namespaces that hold copies of the token secrets.
  const copyNamespaces = [...new Set(legacySecrets.map((s) => s.namespace))].filter((ns) => ns !== SOURCE_NAMESPACE && ns !== "kube-system").sort();
  const copyKeysByNamespace = new Map<string, string[]>();
  if (input.updateCopies) {
    for (const namespace of copyNamespaces) {
      const allowed = await access.check({ verb: "create", resource: "secrets", namespace });
      const keys: string[] = [];
      const copyNames: string[] = [];
      for (const secret of desired) {
        const name = copyName(secret.name, namespace, "seed");
        copyNames.push(name);
        const key = `secret.copy:${namespace}/${name}`;
        const existing = index.secret(namespace, name);
        const base = {
          key, group: `Copies in ${namespace}`, stage: 6,
          op: { type: "secret.copy" as const, from: { namespace: SOURCE_NAMESPACE, name: secret.name }, to: { namespace, name } },
          target: { kind: "Secret", namespace, name },
          title: `Copy ${SOURCE_NAMESPACE}/${secret.name} to ${namespace}/${name}`,
          dependsOn: missing.some((m) => m.name === secret.name) ? [`secret.create:${SOURCE_NAMESPACE}/${secret.name}`] : [],
        };
        if (existing && holdsApiKeysFor(existing, secret.verify)) builder.add({ ...base, status: "skip", reason: "An API-key copy is already there." });
        else if (existing) {
          keys.push(key);
          builder.add({ ...base, status: "refused", reason: `A secret named ${name} already exists in ${namespace}; it is left alone.` });
        } else {
          keys.push(key);
          builder.add({ ...base, ...(allowed.allowed ? { status: "change" as const } : { status: "refused" as const, reason: allowed.reason ?? "Not allowed." }) });
        }
      }
      await planAttachment(builder, index, access, {
        namespace, serviceAccount: SERVICE_ACCOUNT, names: copyNames, createdByPlan: copyNames, dependsOn: keys, stage: 7, restartPods: false,
      });
      const attachKey = `service_account.add:${namespace}/${SERVICE_ACCOUNT}`;
      copyKeysByNamespace.set(namespace, builder.has(attachKey) ? [...keys, attachKey] : keys);
    }
  } else if (copyNamespaces.length) {
    builder.warn({ code: "legacy_copies", message: `${copyNamespaces.length} other namespace${copyNamespaces.length === 1 ? "" : "s"} hold copies of the token secrets (${copyNamespaces.slice(0, 5).join(", ")}${copyNamespaces.length > 5 ? ", …" : ""}); choose "update copies" to give them API-key copies.`, targets: copyNamespaces });
  }

  // 5. Optional: rewrite legacy image references.
  const rewriteIn = new Set(input.rewriteImagesIn);
  let legacyImageWorkloads = 0;
  for (const workload of inventory.workloads) {
    if (workload.kind !== "Deployment") continue;
    const changes = workload.images.map((i) => ({ before: i.image, after: rewriteLegacyImage(i.image) })).filter((c) => c.after);
    if (!changes.length) continue;
    legacyImageWorkloads++;
    if (!rewriteIn.has(workload.namespace)) continue;
    const allowed = await access.check({ verb: "patch", resource: "deployments", group: "apps", namespace: workload.namespace });
    const tool = managedByLabel(workload.managedBy);
    if (tool) builder.warn({ code: "managed_by_other_tool", message: `Deployment ${workload.namespace}/${workload.name} is managed by ${tool}; change the images in its source too or it will revert.`, targets: [`${workload.namespace}/${workload.name}`] });
    builder.add({
      key: `deployment.rewrite_images:${workload.namespace}/${workload.name}`, group: "Image references", stage: 8,
      dependsOn: verifyKeys,
      op: { type: "deployment.rewrite_images", ref: { namespace: workload.namespace, name: workload.name } },
      target: { kind: "Deployment", namespace: workload.namespace, name: workload.name },
      title: `Rewrite ${changes.length} image reference${changes.length === 1 ? "" : "s"} of ${workload.namespace}/${workload.name} to icr.io`,
      before: changes.map((c) => c.before), after: changes.map((c) => c.after!),
      ...(allowed.allowed ? { status: "change" as const } : { status: "refused" as const, reason: allowed.reason ?? "Not allowed." }),
    });
  }
  if (legacyImageWorkloads > 0 && rewriteIn.size === 0) {
    builder.warn({ code: "legacy_images", message: `${legacyImageWorkloads} Deployment${legacyImageWorkloads === 1 ? "" : "s"} still pull from registry.*.bluemix.net, which no longer serves images; choose namespaces to rewrite them to icr.io.` });
  }

  // 6. Optional: detach and delete the token secrets, only after the new ones verified.
  if (input.removeLegacy) {
    for (const secret of legacySecrets) {
      const { namespace, name } = secret;
      const guard = [...removalGuard, ...verifyKeys, ...(copyKeysByNamespace.get(namespace) ?? [])];
      const referencing = inventory.serviceAccounts.filter((sa) => sa.namespace === namespace && sa.imagePullSecrets.includes(name));
      const detachKeys: string[] = [];
      for (const account of referencing) {
        const allowed = await access.check({ verb: "patch", resource: "serviceaccounts", namespace });
        const key = `service_account.remove:${namespace}/${account.name}/${name}`;
        detachKeys.push(key);
        builder.add({
          key, group: "Remove token secrets", stage: 9, dependsOn: guard,
          op: { type: "service_account.remove", namespace, serviceAccount: account.name, names: [name] },
          target: { kind: "ServiceAccount", namespace, name: account.name },
          title: `Detach ${name} from ${namespace}/${account.name}`,
          before: account.imagePullSecrets, after: account.imagePullSecrets.filter((n) => n !== name),
          ...(allowed.allowed ? { status: "change" as const } : { status: "refused" as const, reason: allowed.reason ?? "Not allowed." }),
        });
      }
      const allowed = await access.check({ verb: "delete", resource: "secrets", namespace });
      builder.add({
        key: `secret.delete:${namespace}/${name}`, group: "Remove token secrets", stage: 10, dependsOn: [...guard, ...detachKeys],
        op: { type: "secret.delete", ref: { namespace, name }, force: true },
        target: { kind: "Secret", namespace, name },
        title: `Delete discontinued token secret ${namespace}/${name}`,
        beforeFingerprint: secret.credentialFingerprint, afterFingerprint: null,
        ...(allowed.allowed ? { status: "change" as const } : { status: "refused" as const, reason: allowed.reason ?? "Not allowed." }),
      });
    }
  }

  for (const note of inventory.notes) builder.warn({ code: "partial_read", message: note });
  return builder.build({ kind: "migrate_to_api_keys", cluster, input, readAt: inventory.readAt });
}
