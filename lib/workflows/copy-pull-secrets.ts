import { z } from "zod";
import { computeClusterCoverage, type ClusterCoverage } from "@/lib/coverage";
import type { PullSecretDto } from "@/lib/kube/port";
import { matchesSelector, parseLabelSelector } from "@/lib/labels/selector";
import { AccessChecker } from "./engine/access";
import type { WorkflowDeps } from "./engine/deps";
import type { Plan } from "./engine/plan";
import { PlanBuilder } from "./engine/plan-builder";
import { planAttachment } from "./shared/attach-steps";
import { InventoryIndex, managedByLabel } from "./shared/inventory-index";
import {
  clusterNameSchema,
  labelSelectorSchema,
  namespaceNameSchema,
  objectNameSchema,
} from "./shared/schemas";

/** The seed's "copy an existing image pull secret" section, to many namespaces, built safely. */
export const copyPullSecretsInputSchema = z.object({
  cluster: clusterNameSchema,
  sourceNamespace: namespaceNameSchema.default("default"),
  secrets: z.array(objectNameSchema).min(1, "choose at least one secret to copy").max(50),
  targets: z.discriminatedUnion("mode", [
    z.object({ mode: z.literal("list"), namespaces: z.array(namespaceNameSchema).min(1, "choose at least one namespace").max(5000) }),
    z.object({ mode: z.literal("selector"), labelSelector: labelSelectorSchema }),
    z.object({ mode: z.literal("uncovered") }),
  ]),
  /** `seed`: `default-us-icr-io` becomes `<ns>-us-icr-io` as the seed's sed does; other names are kept. `keep`: source names. */
  naming: z.enum(["seed", "keep"]).default("seed"),
  attach: z.boolean().default(true),
  serviceAccount: objectNameSchema.default("default"),
  restartPods: z.boolean().default(false),
});
export type CopyPullSecretsInput = z.infer<typeof copyPullSecretsInputSchema>;

export function copyName(sourceName: string, targetNamespace: string, naming: "seed" | "keep"): string {
  return naming === "seed" && sourceName.startsWith("default-") ? `${targetNamespace}-${sourceName.slice("default-".length)}` : sourceName;
}

/**
 * Whether `existing` is a copy of `source` that may be refreshed: one Pullkeeper
 * made, one whose annotations name the source, or one the coverage model
 * recognises as a stale copy of it by content (same registries and users).
 */
function isCopyOf(existing: PullSecretDto, source: PullSecretDto, staleCopies: Set<string>): boolean {
  return (
    existing.managedBy === "pullkeeper" ||
    (existing.copyOf?.namespace === source.namespace && existing.copyOf?.name === source.name) ||
    staleCopies.has(`${existing.namespace}/${existing.name}<-${source.namespace}/${source.name}`)
  );
}

interface CopyPlanning {
  input: CopyPullSecretsInput;
  index: InventoryIndex;
  access: AccessChecker;
  builder: PlanBuilder;
  sources: PullSecretDto[];
  /** `namespace/secret<-sourceNamespace/source` of every copy the coverage model finds stale. */
  staleCopies: Set<string>;
}

/** The chosen sources that exist and parse; each left out is named in a warning. */
function usableSources(input: CopyPullSecretsInput, index: InventoryIndex, builder: PlanBuilder): PullSecretDto[] {
  const sources: PullSecretDto[] = [];
  for (const name of input.secrets) {
    const source = index.secret(input.sourceNamespace, name);
    if (!source) {
      builder.warn({ code: "partial_read", message: `Source secret ${input.sourceNamespace}/${name} does not exist or is not an image pull secret; it is left out.` });
    } else if (source.parseError) {
      builder.warn({ code: "partial_read", message: `Source secret ${input.sourceNamespace}/${name} cannot be used: ${source.parseError.message}.` });
    } else {
      sources.push(source);
    }
  }
  return sources;
}

function staleCopiesOf(coverage: ClusterCoverage): Set<string> {
  return new Set(
    coverage.findings.flatMap((finding) =>
      finding.type === "stale_copy" ? [`${finding.namespace}/${finding.secret}<-${finding.source.namespace}/${finding.source.name}`] : [],
    ),
  );
}

function refuseMissingNamespace(planning: CopyPlanning, namespace: string): void {
  const first = planning.input.secrets[0]!;
  planning.builder.add({
    key: `secret.copy:${namespace}`,
    op: { type: "secret.copy", from: { namespace: planning.input.sourceNamespace, name: first }, to: { namespace, name: first } },
    target: { kind: "Namespace", name: namespace },
    title: `Copy pull secrets into ${namespace}`,
    group: namespace,
    status: "refused",
    reason: `Namespace ${namespace} does not exist or cannot be read.`,
  });
}

/** One source into one namespace: a new copy, nothing (identical copy there), a refresh of a stale copy, or a refusal. Returns the key of a step that writes. */
async function planOneCopy(planning: CopyPlanning, source: PullSecretDto, namespace: string, name: string, createAllowed: { allowed: boolean; reason: string | null }): Promise<string | null> {
  const { builder, access } = planning;
  const existing = planning.index.secret(namespace, name);
  const to = { namespace, name };
  const from = { namespace: source.namespace, name: source.name };
  const target = { kind: "Secret", namespace, name };
  if (!existing) {
    const key = `secret.copy:${namespace}/${name}`;
    builder.add({
      key, op: { type: "secret.copy", from, to }, target, group: namespace, stage: 0,
      title: `Copy ${source.namespace}/${source.name} to ${namespace}/${name} (${source.registries.map((entry) => entry.registry).join(", ")})`,
      afterFingerprint: source.credentialFingerprint,
      status: createAllowed.allowed ? "change" : "refused",
      ...(createAllowed.allowed ? {} : { reason: createAllowed.reason ?? "Not allowed." }),
    });
    return key;
  }
  if (existing.credentialFingerprint === source.credentialFingerprint) {
    builder.add({
      key: `secret.copy:${namespace}/${name}`, op: { type: "secret.copy", from, to }, target, group: namespace,
      title: `Copy ${source.namespace}/${source.name} to ${namespace}/${name}`, status: "skip",
      reason: "An identical copy is already there.", beforeFingerprint: existing.credentialFingerprint, afterFingerprint: existing.credentialFingerprint,
    });
    return null;
  }
  if (isCopyOf(existing, source, planning.staleCopies)) {
    const updateAllowed = await access.check({ verb: "update", resource: "secrets", namespace });
    const key = `secret.refresh_copy:${namespace}/${name}`;
    builder.add({
      key, target, group: namespace, stage: 0,
      op: { type: "secret.refresh_copy", from, to, expectedFingerprint: existing.credentialFingerprint },
      title: `Update stale copy ${namespace}/${name} from ${source.namespace}/${source.name} (the source was rotated)`,
      beforeFingerprint: existing.credentialFingerprint, afterFingerprint: source.credentialFingerprint,
      status: updateAllowed.allowed ? "change" : "refused",
      ...(updateAllowed.allowed ? {} : { reason: updateAllowed.reason ?? "Not allowed." }),
    });
    const tool = managedByLabel(existing.managedBy);
    if (tool) builder.warn({ code: "managed_by_other_tool", message: `${namespace}/${name} is managed by ${tool}; it may overwrite the update.`, targets: [`${namespace}/${name}`] });
    return key;
  }
  builder.add({
    key: `secret.copy:${namespace}/${name}`, op: { type: "secret.copy", from, to }, target, group: namespace,
    title: `Copy ${source.namespace}/${source.name} to ${namespace}/${name}`, status: "refused",
    beforeFingerprint: existing.credentialFingerprint,
    reason: `A different secret named ${name} already exists in ${namespace} and was not made by Pullkeeper from this source; it is left alone.`,
  });
  return null;
}

/** Every source into one namespace, then (if asked) attach the copies to its service account. */
async function planCopiesInto(planning: CopyPlanning, namespace: string): Promise<void> {
  const { input } = planning;
  if (!planning.index.namespaceNames.has(namespace)) return refuseMissingNamespace(planning, namespace);
  const createAllowed = await planning.access.check({ verb: "create", resource: "secrets", namespace });
  const stepKeys: string[] = [];
  const names: string[] = [];
  for (const source of planning.sources) {
    const name = copyName(source.name, namespace, input.naming);
    names.push(name);
    const key = await planOneCopy(planning, source, namespace, name, createAllowed);
    if (key) stepKeys.push(key);
  }
  if (input.attach && names.length) {
    await planAttachment(planning.builder, planning.index, planning.access, {
      namespace, serviceAccount: input.serviceAccount, names, createdByPlan: names, dependsOn: stepKeys, stage: 1, restartPods: input.restartPods,
    });
  }
}

export async function planCopyPullSecrets(input: CopyPullSecretsInput, deps: WorkflowDeps): Promise<Plan> {
  const inventory = await deps.kube.readPullSecretInventory(input.cluster);
  const index = new InventoryIndex(inventory);
  const builder = new PlanBuilder();
  const sources = usableSources(input, index, builder);
  const coverage = computeClusterCoverage(inventory, { sourceNamespace: input.sourceNamespace });
  const planning: CopyPlanning = { input, index, access: new AccessChecker(deps.kube, input.cluster), builder, sources, staleCopies: staleCopiesOf(coverage) };
  const targets = resolveTargets(input, index, sources, coverage).filter((namespace) => namespace !== input.sourceNamespace);
  for (const namespace of targets) await planCopiesInto(planning, namespace);
  for (const note of inventory.notes) builder.warn({ code: "partial_read", message: note });
  return builder.build({ kind: "copy_pull_secrets", cluster: input.cluster, input, readAt: inventory.readAt, namespaces: targets });
}

function resolveTargets(input: CopyPullSecretsInput, index: InventoryIndex, sources: PullSecretDto[], coverage: ClusterCoverage): string[] {
  const targets = input.targets;
  if (targets.mode === "list") return [...new Set(targets.namespaces)].sort();
  const all = [...index.namespaceNames].sort();
  if (targets.mode === "selector") {
    const parsed = parseLabelSelector(targets.labelSelector);
    // The input schema already refused an unparsable selector.
    const requirements = parsed.ok ? parsed.requirements : [];
    return all.filter((namespace) => matchesSelector(requirements, index.labels(namespace)));
  }
  // Namespaces where any registry the sources serve is not yet covered.
  const registries = new Set(sources.flatMap((source) => source.registries.map((entry) => entry.registry)));
  return coverage.namespaces
    .filter((ns) => ns.domains.some((domain) => registries.has(domain.registry) && domain.state !== "covered"))
    .map((ns) => ns.namespace)
    .sort();
}
