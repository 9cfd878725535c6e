import { z } from "zod";
import type { OperationWithSteps, StepRecord } from "@/lib/audit/port";
import { AccessChecker } from "./engine/access";
import type { WorkflowDeps } from "./engine/deps";
import { WorkflowError } from "./engine/errors";
import type { Plan, StepOp } from "./engine/plan";
import { PlanBuilder } from "./engine/plan-builder";
import { InventoryIndex } from "./shared/inventory-index";
import { allowedStatus, stringList, undoKey, type UndoContext } from "./shared/undo-context";
import { planIamReversals } from "./shared/undo-iam";
import { planRotationUndo } from "./shared/undo-rotation";
import { planSecretRemovals } from "./shared/undo-secrets";

/** Reverts what an applied operation created, where that is safe, as its own previewed and audited operation. */
export const undoOperationInputSchema = z.object({ operationId: z.string().uuid("an operation id from the audit log") });
export type UndoOperationInput = z.infer<typeof undoOperationInputSchema>;

const UNDOABLE_STATUSES = ["succeeded", "partially_failed", "failed", "interrupted"];

/**
 * The operation that would revert a recorded step. A refused undo step holds it
 * (it never runs), so the audit log records the refusal under the reverting
 * action: "secret.created refused" for a deleted secret that cannot be restored.
 */
function reversalOf(step: StepRecord): StepOp {
  const ref = { namespace: step.target?.namespace ?? "", name: step.target?.name ?? "" };
  const detail = step.detail ?? {};
  const id = String(detail.apiKeyId ?? detail.serviceId ?? "");
  const name = String(detail.name ?? ref.name);
  switch (step.action) {
    case "service_account.unpatched":
      return { type: "service_account.add", namespace: ref.namespace, serviceAccount: ref.name, names: stringList(detail.before) };
    case "iam.api_key.created":
      return { type: "iam.delete_api_key", id, name };
    case "iam.service_id.created":
      return { type: "iam.delete_service_id", id, name };
    case "iam.policy.created":
      return { type: "iam.delete_policy", id: "" };
    case "secret.updated":
      return { type: "secret.refresh_copy", from: ref, to: ref, expectedFingerprint: step.afterFingerprint ?? null };
    case "secret.deleted":
      return { type: "secret.create", ref, domains: [], credential: { source: "private_registry" }, email: "", labels: {}, annotations: {} };
    default:
      return { type: "secret.delete", ref, force: false };
  }
}

async function loadUndoableOperation(deps: WorkflowDeps, operationId: string): Promise<OperationWithSteps & { cluster: string }> {
  const operation = await deps.audit.getOperation(operationId);
  if (!operation) throw new WorkflowError("invalid", `Operation ${operationId} is not in the audit log.`);
  // A rotation is undone while it waits to delete the old key (still running); rotationUndoRefusal says when not.
  if (operation.kind === "rotate_api_key" && operation.cluster) return { ...operation, cluster: operation.cluster };
  if (!UNDOABLE_STATUSES.includes(operation.status)) {
    throw new WorkflowError("invalid", `Operation ${operation.id} is ${operation.status}: only applied operations can be undone.`);
  }
  if (operation.kind === "undo") throw new WorkflowError("invalid", "An undo cannot itself be undone; run the original workflow again.");
  if (!operation.cluster) throw new WorkflowError("invalid", "This operation touched no cluster; there is nothing to undo.");
  return { ...operation, cluster: operation.cluster };
}

/** Detach what the operation attached, where its entries are still there. Fills the context's detach keys and references. */
async function planDetach(context: UndoContext, step: StepRecord): Promise<void> {
  const namespace = step.target?.namespace ?? "";
  const name = step.target!.name;
  const added = stringList(step.detail?.after).filter((entry) => !stringList(step.detail?.before).includes(entry));
  const account = context.index.serviceAccount(namespace, name);
  const stillThere = added.filter((entry) => account?.imagePullSecrets.includes(entry));
  const base = {
    key: undoKey(step), group: "Service accounts", stage: 0,
    op: { type: "service_account.remove" as const, namespace, serviceAccount: name, names: stillThere },
    target: { kind: "ServiceAccount", namespace, name }, title: `Detach ${added.join(", ") || "nothing"} from ${namespace}/${name}`,
    before: account?.imagePullSecrets ?? [], after: (account?.imagePullSecrets ?? []).filter((entry) => !stillThere.includes(entry)),
  };
  if (!stillThere.length) {
    context.builder.add({ ...base, status: "skip", reason: "The entries it added are no longer there." });
    return;
  }
  const planned = context.builder.add({ ...base, ...(await allowedStatus(context, { verb: "patch", resource: "serviceaccounts", namespace })) });
  context.detachKeysByNamespace.set(namespace, [...(context.detachKeysByNamespace.get(namespace) ?? []), planned.key]);
  if (planned.status === "change") for (const entry of stillThere) context.detachedReferences.add(`${namespace}/${name}/${entry}`);
}

/** Re-attach what the operation detached, where the secrets still exist (else the reference would dangle). */
async function planReattach(context: UndoContext, step: StepRecord, refuse: (step: StepRecord, reason: string) => void): Promise<void> {
  const namespace = step.target?.namespace ?? "";
  const name = step.target!.name;
  const removed = stringList(step.detail?.before).filter((entry) => !stringList(step.detail?.after).includes(entry));
  const restorable = removed.filter((secret) => context.index.secret(namespace, secret));
  if (!restorable.length) {
    const plural = removed.length === 1 ? "" : "s";
    return refuse(step, `The detached secret${plural} ${removed.join(", ")} no longer exist${removed.length === 1 ? "s" : ""}; re-attaching would leave a dangling reference.`);
  }
  context.builder.add({
    key: undoKey(step), group: "Service accounts", stage: 0,
    op: { type: "service_account.add", namespace, serviceAccount: name, names: restorable },
    target: { kind: "ServiceAccount", namespace, name }, title: `Re-attach ${restorable.join(", ")} to ${namespace}/${name}`,
    ...(await allowedStatus(context, { verb: "patch", resource: "serviceaccounts", namespace })),
  });
}

async function planImageRestore(context: UndoContext, step: StepRecord): Promise<void> {
  const namespace = step.target?.namespace ?? "";
  const name = step.target!.name;
  const changes = Array.isArray(step.detail?.changes) ? (step.detail.changes as Array<{ before?: string; after?: string }>) : [];
  const mapping = Object.fromEntries(changes.filter((c) => c.before && c.after).map((c) => [c.after!, c.before!]));
  context.builder.add({
    key: undoKey(step), group: "Image references", stage: 0,
    op: { type: "deployment.rewrite_images", ref: { namespace, name }, mapping },
    target: { kind: "Deployment", namespace, name }, title: `Restore the previous image references of ${namespace}/${name}`,
    before: Object.keys(mapping), after: Object.values(mapping),
    ...(await allowedStatus(context, { verb: "patch", resource: "deployments", group: "apps", namespace })),
  });
}

/** Service accounts, images and what cannot be reverted: everything but secrets and IAM, which depend on these. */
async function planClusterReversals(context: UndoContext, refuse: (step: StepRecord, reason: string) => void): Promise<void> {
  for (const step of context.done) {
    if (step.action === "service_account.patched") await planDetach(context, step);
    else if (step.action === "service_account.unpatched") await planReattach(context, step, refuse);
    else if (step.action === "deployment.images_rewritten") await planImageRestore(context, step);
    else if (step.action === "secret.updated") refuse(step, "The previous content cannot be restored: Pullkeeper never keeps credential values.");
    else if (step.action === "secret.deleted") refuse(step, "A deleted secret cannot be restored: Pullkeeper never keeps credential values.");
    // Verification and restarts change nothing to revert.
  }
}

/**
 * Plans the undo from what the cluster holds now and the provenance of each
 * secret: service-account entries first, then the secrets the operation wrote
 * (kept, with the reason, while anything else still references them or another
 * operation rewrote them), then IAM objects once nothing holds their key.
 */
export async function planUndoOperation(input: UndoOperationInput, deps: WorkflowDeps): Promise<Plan> {
  const operation = await loadUndoableOperation(deps, input.operationId);
  if (operation.kind === "rotate_api_key") return planRotationUndo(operation, deps);
  const { cluster } = operation;
  const inventory = await deps.kube.readPullSecretInventory(cluster, { knownNamespaces: operation.namespaces });
  const context: UndoContext = {
    operation, deps, index: new InventoryIndex(inventory), access: new AccessChecker(deps.kube, cluster), builder: new PlanBuilder(),
    done: operation.steps.filter((step) => step.outcome === "succeeded").sort((a, b) => b.sequence - a.sequence),
    detachKeysByNamespace: new Map(), detachedReferences: new Set(), secretRemovals: new Map(),
  };
  const refuse = (step: StepRecord, reason: string) =>
    context.builder.add({
      key: undoKey(step), op: reversalOf(step),
      target: step.target ?? { kind: "object", name: step.action }, group: "Cannot be undone",
      title: `Undo step ${step.sequence} (${step.action})`, status: "refused", reason,
    });
  await planClusterReversals(context, refuse);
  await planSecretRemovals(context);
  planIamReversals(context, refuse);
  return context.builder.build({ kind: "undo", cluster, input: { operationId: operation.id, undoes: operation.kind }, readAt: inventory.readAt, namespaces: operation.namespaces });
}
