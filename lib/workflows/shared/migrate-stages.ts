import type { PullSecretDto, PullSecretInventory } from "@/lib/kube/port";
import { rewriteLegacyImage } from "@/lib/registry/image-ref";
import { copyName } from "../copy-pull-secrets";
import type { AccessChecker } from "../engine/access";
import type { WorkflowDeps } from "../engine/deps";
import type { PlanBuilder } from "../engine/plan-builder";
import { planAttachment } from "./attach-steps";
import { managedByLabel, type InventoryIndex } from "./inventory-index";

/** The migration works on the `default` namespace's secrets and service account, as IKS sets them up. */
export const SOURCE_NAMESPACE = "default";
export const SERVICE_ACCOUNT = "default";

export interface DesiredSecret {
  name: string;
  /** Domains written into the secret. */
  domains: string[];
  /** Domains verified against the registry after writing. */
  verify: string[];
}

export function holdsApiKeysFor(secret: PullSecretDto, domains: readonly string[]): boolean {
  return domains.every((domain) => secret.registries.some((entry) => entry.registry === domain && entry.credentialKind === "iam-api-key"));
}

/** What planMigrateToApiKeys has read and decided so far, handed from one stage to the next. */
export interface MigrationPlanning {
  input: { updateCopies: boolean; removeLegacy: boolean; rewriteImagesIn: string[] };
  deps: WorkflowDeps;
  inventory: PullSecretInventory;
  cluster: string;
  index: InventoryIndex;
  access: AccessChecker;
  builder: PlanBuilder;
  desired: DesiredSecret[];
  legacySecrets: PullSecretDto[];
  removalPlanned: boolean;
  /** Desired secrets `default` lacks. */
  missing: DesiredSecret[];
  existingApiKeySecrets: DesiredSecret[];
  /** Steps that must succeed before any token secret is removed. */
  removalGuard: string[];
  createKeys: string[];
  verifyKeys: string[];
  copyKeysByNamespace: Map<string, string[]>;
}

const changeOrRefused = (allowed: { allowed: boolean; reason: string | null }) =>
  allowed.allowed ? { status: "change" as const } : { status: "refused" as const, reason: allowed.reason ?? "Not allowed." };

/** API-key copies of the desired secrets for one namespace that holds copies of the token secrets, attached to its default SA. */
async function planCopiesIn(planning: MigrationPlanning, namespace: string): Promise<void> {
  const { builder, index, access } = planning;
  const allowed = await access.check({ verb: "create", resource: "secrets", namespace });
  const keys: string[] = [];
  const copyNames: string[] = [];
  for (const secret of planning.desired) {
    const name = copyName(secret.name, namespace, "seed");
    copyNames.push(name);
    const key = `secret.copy:${namespace}/${name}`;
    const existing = index.secret(namespace, name);
    const base = {
      key, group: `Copies in ${namespace}`, stage: 6,
      op: { type: "secret.copy" as const, from: { namespace: SOURCE_NAMESPACE, name: secret.name }, to: { namespace, name } },
      target: { kind: "Secret", namespace, name },
      title: `Copy ${SOURCE_NAMESPACE}/${secret.name} to ${namespace}/${name}`,
      dependsOn: planning.missing.some((m) => m.name === secret.name) ? [`secret.create:${SOURCE_NAMESPACE}/${secret.name}`] : [],
    };
    if (existing && holdsApiKeysFor(existing, secret.verify)) builder.add({ ...base, status: "skip", reason: "An API-key copy is already there." });
    else {
      keys.push(key);
      builder.add({ ...base, ...(existing ? { status: "refused" as const, reason: `A secret named ${name} already exists in ${namespace}; it is left alone.` } : changeOrRefused(allowed)) });
    }
  }
  await planAttachment(builder, index, access, { namespace, serviceAccount: SERVICE_ACCOUNT, names: copyNames, createdByPlan: copyNames, dependsOn: keys, stage: 7, restartPods: false });
  const attachKey = `service_account.add:${namespace}/${SERVICE_ACCOUNT}`;
  planning.copyKeysByNamespace.set(namespace, builder.has(attachKey) ? [...keys, attachKey] : keys);
}

/** 4. Optional: copies for namespaces that hold copies of the token secrets (else a warning names them). */
export async function planCopyUpdates(planning: MigrationPlanning): Promise<void> {
  const copyNamespaces = [...new Set(planning.legacySecrets.map((s) => s.namespace))].filter((ns) => ns !== SOURCE_NAMESPACE && ns !== "kube-system").sort();
  if (planning.input.updateCopies) {
    for (const namespace of copyNamespaces) await planCopiesIn(planning, namespace);
  } else if (copyNamespaces.length) {
    const plural = copyNamespaces.length === 1 ? "" : "s";
    const shown = `${copyNamespaces.slice(0, 5).join(", ")}${copyNamespaces.length > 5 ? ", …" : ""}`;
    planning.builder.warn({ code: "legacy_copies", message: `${copyNamespaces.length} other namespace${plural} hold copies of the token secrets (${shown}); choose "update copies" to give them API-key copies.`, targets: copyNamespaces });
  }
}

/** 5. Optional: rewrite legacy `registry.*.bluemix.net` image references of Deployments, after the new secrets verified. */
export async function planImageRewrites(planning: MigrationPlanning): Promise<void> {
  const { builder, access } = planning;
  const rewriteIn = new Set(planning.input.rewriteImagesIn);
  let legacyImageWorkloads = 0;
  for (const workload of planning.inventory.workloads) {
    if (workload.kind !== "Deployment") continue;
    const changes = workload.images.map((i) => ({ before: i.image, after: rewriteLegacyImage(i.image) })).filter((c) => c.after);
    if (!changes.length) continue;
    legacyImageWorkloads++;
    if (!rewriteIn.has(workload.namespace)) continue;
    const allowed = await access.check({ verb: "patch", resource: "deployments", group: "apps", namespace: workload.namespace });
    const tool = managedByLabel(workload.managedBy);
    if (tool) builder.warn({ code: "managed_by_other_tool", message: `Deployment ${workload.namespace}/${workload.name} is managed by ${tool}; change the images in its source too or it will revert.`, targets: [`${workload.namespace}/${workload.name}`] });
    builder.add({
      key: `deployment.rewrite_images:${workload.namespace}/${workload.name}`, group: "Image references", stage: 8, dependsOn: planning.verifyKeys,
      op: { type: "deployment.rewrite_images", ref: { namespace: workload.namespace, name: workload.name } },
      target: { kind: "Deployment", namespace: workload.namespace, name: workload.name },
      title: `Rewrite ${changes.length} image reference${changes.length === 1 ? "" : "s"} of ${workload.namespace}/${workload.name} to icr.io`,
      before: changes.map((c) => c.before), after: changes.map((c) => c.after!),
      ...changeOrRefused(allowed),
    });
  }
  if (legacyImageWorkloads > 0 && rewriteIn.size === 0) {
    builder.warn({ code: "legacy_images", message: `${legacyImageWorkloads} Deployment${legacyImageWorkloads === 1 ? "" : "s"} still pull from registry.*.bluemix.net, which no longer serves images; choose namespaces to rewrite them to icr.io.` });
  }
}

/** 6. Optional: detach and delete the token secrets, only after the new ones verified (and the namespace's copies are in place). */
export async function planLegacyRemoval(planning: MigrationPlanning): Promise<void> {
  if (!planning.input.removeLegacy) return;
  const { builder, access } = planning;
  for (const secret of planning.legacySecrets) {
    const { namespace, name } = secret;
    const guard = [...planning.removalGuard, ...planning.verifyKeys, ...(planning.copyKeysByNamespace.get(namespace) ?? [])];
    const referencing = planning.inventory.serviceAccounts.filter((sa) => sa.namespace === namespace && sa.imagePullSecrets.includes(name));
    const detachKeys: string[] = [];
    for (const account of referencing) {
      const key = `service_account.remove:${namespace}/${account.name}/${name}`;
      detachKeys.push(key);
      builder.add({
        key, group: "Remove token secrets", stage: 9, dependsOn: guard,
        op: { type: "service_account.remove", namespace, serviceAccount: account.name, names: [name] },
        target: { kind: "ServiceAccount", namespace, name: account.name },
        title: `Detach ${name} from ${namespace}/${account.name}`,
        before: account.imagePullSecrets, after: account.imagePullSecrets.filter((n) => n !== name),
        ...changeOrRefused(await access.check({ verb: "patch", resource: "serviceaccounts", namespace })),
      });
    }
    builder.add({
      key: `secret.delete:${namespace}/${name}`, group: "Remove token secrets", stage: 10, dependsOn: [...guard, ...detachKeys],
      op: { type: "secret.delete", ref: { namespace, name }, force: true },
      target: { kind: "Secret", namespace, name },
      title: `Delete discontinued token secret ${namespace}/${name}`,
      beforeFingerprint: secret.credentialFingerprint, afterFingerprint: null,
      ...changeOrRefused(await access.check({ verb: "delete", resource: "secrets", namespace })),
    });
  }
}
