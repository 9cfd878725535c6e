import { z } from "zod";
import type { StepRecord } from "@/lib/audit/port";
import { AccessChecker } from "./engine/access";
import type { WorkflowDeps } from "./engine/deps";
import { WorkflowError } from "./engine/errors";
import type { Plan, StepOp } from "./engine/plan";
import { PlanBuilder } from "./engine/plan-builder";
import { InventoryIndex } from "./shared/inventory-index";

/** Reverts what an applied operation created, where that is safe, as its own previewed and audited operation. */
export const undoOperationInputSchema = z.object({ operationId: z.string().uuid("an operation id from the audit log") });
export type UndoOperationInput = z.infer<typeof undoOperationInputSchema>;

const UNDOABLE_STATUSES = ["succeeded", "partially_failed", "failed", "interrupted"];

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

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

export async function planUndoOperation(input: UndoOperationInput, deps: WorkflowDeps): Promise<Plan> {
  const operation = await deps.audit.getOperation(input.operationId);
  if (!operation) throw new WorkflowError("invalid", `Operation ${input.operationId} is not in the audit log.`);
  if (!UNDOABLE_STATUSES.includes(operation.status)) {
    throw new WorkflowError("invalid", `Operation ${operation.id} is ${operation.status}: only applied operations can be undone.`);
  }
  if (operation.kind === "undo") throw new WorkflowError("invalid", "An undo cannot itself be undone; run the original workflow again.");
  if (!operation.cluster) throw new WorkflowError("invalid", "This operation touched no cluster; there is nothing to undo.");
  const cluster = operation.cluster;
  const inventory = await deps.kube.readPullSecretInventory(cluster, { knownNamespaces: operation.namespaces });
  const index = new InventoryIndex(inventory);
  const access = new AccessChecker(deps.kube, cluster);
  const builder = new PlanBuilder();
  const done = operation.steps.filter((step) => step.outcome === "succeeded").sort((a, b) => b.sequence - a.sequence);

  // What the undo removes, known before planning each step: secrets go after their service-account
  // entries, and the API key only after every secret that carries it (copies included) is gone.
  const createdSecretSteps = done.filter((step) => step.action === "secret.created" || step.action === "secret.copied");
  const secretUndoKeys = createdSecretSteps.map((step) => `undo:${step.sequence}`);
  const removedSecrets = new Set(createdSecretSteps.map((step) => `${step.target?.namespace}/${step.target?.name}`));
  const createdFingerprints = new Set(createdSecretSteps.map((step) => step.afterFingerprint).filter((fp): fp is string => Boolean(fp)));
  const otherHolders = inventory.pullSecrets.filter(
    (secret) => !removedSecrets.has(`${secret.namespace}/${secret.name}`) && secret.credentialFingerprint !== null && createdFingerprints.has(secret.credentialFingerprint),
  );
  // Policies and the service ID go last: while its key is still in use, removing them would break pulls too.
  const apiKeyUndoKeys = done.filter((step) => step.action === "iam.api_key.created").map((step) => `undo:${step.sequence}`);
  const detachKeysByNamespace = new Map<string, string[]>();
  for (const step of done.filter((candidate) => candidate.action === "service_account.patched")) {
    const namespace = step.target?.namespace ?? "";
    detachKeysByNamespace.set(namespace, [...(detachKeysByNamespace.get(namespace) ?? []), `undo:${step.sequence}`]);
  }

  const refuse = (step: StepRecord, reason: string) =>
    builder.add({
      key: `undo:${step.sequence}`, op: reversalOf(step),
      target: step.target ?? { kind: "object", name: step.action }, group: "Cannot be undone",
      title: `Undo step ${step.sequence} (${step.action})`, status: "refused", reason,
    });

  for (const step of done) {
    const target = step.target;
    const namespace = target?.namespace ?? "";
    const detail = step.detail ?? {};
    switch (step.action) {
      case "secret.created":
      case "secret.copied": {
        const name = target!.name;
        const current = index.secret(namespace, name);
        const base = {
          key: `undo:${step.sequence}`, group: "Secrets", stage: 1, dependsOn: detachKeysByNamespace.get(namespace) ?? [],
          op: { type: "secret.delete" as const, ref: { namespace, name }, force: false },
          target: { kind: "Secret", namespace, name }, title: `Delete ${namespace}/${name}, created by step ${step.sequence}`,
          beforeFingerprint: current?.credentialFingerprint ?? null, afterFingerprint: null,
        };
        if (!current) builder.add({ ...base, status: "skip", reason: "Already gone." });
        else if (step.afterFingerprint && current.credentialFingerprint !== step.afterFingerprint) {
          builder.add({ ...base, status: "refused", reason: "Its content changed since the operation wrote it; it is left alone." });
        } else {
          const allowed = await access.check({ verb: "delete", resource: "secrets", namespace });
          builder.add({ ...base, ...(allowed.allowed ? { status: "change" as const } : { status: "refused" as const, reason: allowed.reason ?? "Not allowed." }) });
        }
        break;
      }
      case "service_account.patched": {
        const added = stringList(detail.after).filter((name) => !stringList(detail.before).includes(name));
        const name = target!.name;
        const account = index.serviceAccount(namespace, name);
        const stillThere = added.filter((entry) => account?.imagePullSecrets.includes(entry));
        const base = {
          key: `undo:${step.sequence}`, group: "Service accounts", stage: 0,
          op: { type: "service_account.remove" as const, namespace, serviceAccount: name, names: stillThere },
          target: { kind: "ServiceAccount", namespace, name }, title: `Detach ${added.join(", ") || "nothing"} from ${namespace}/${name}`,
          before: account?.imagePullSecrets ?? [], after: (account?.imagePullSecrets ?? []).filter((entry) => !stillThere.includes(entry)),
        };
        if (!stillThere.length) builder.add({ ...base, status: "skip", reason: "The entries it added are no longer there." });
        else {
          const allowed = await access.check({ verb: "patch", resource: "serviceaccounts", namespace });
          builder.add({ ...base, ...(allowed.allowed ? { status: "change" as const } : { status: "refused" as const, reason: allowed.reason ?? "Not allowed." }) });
        }
        break;
      }
      case "service_account.unpatched": {
        const removed = stringList(detail.before).filter((name) => !stringList(detail.after).includes(name));
        const name = target!.name;
        const restorable = removed.filter((secret) => index.secret(namespace, secret));
        if (!restorable.length) {
          refuse(step, `The detached secret${removed.length === 1 ? "" : "s"} ${removed.join(", ")} no longer exist${removed.length === 1 ? "s" : ""}; re-attaching would leave a dangling reference.`);
          break;
        }
        const allowed = await access.check({ verb: "patch", resource: "serviceaccounts", namespace });
        builder.add({
          key: `undo:${step.sequence}`, group: "Service accounts", stage: 0,
          op: { type: "service_account.add", namespace, serviceAccount: name, names: restorable },
          target: { kind: "ServiceAccount", namespace, name }, title: `Re-attach ${restorable.join(", ")} to ${namespace}/${name}`,
          ...(allowed.allowed ? { status: "change" as const } : { status: "refused" as const, reason: allowed.reason ?? "Not allowed." }),
        });
        break;
      }
      case "deployment.images_rewritten": {
        const changes = Array.isArray(detail.changes) ? (detail.changes as Array<{ before?: string; after?: string }>) : [];
        const mapping = Object.fromEntries(changes.filter((c) => c.before && c.after).map((c) => [c.after!, c.before!]));
        const allowed = await access.check({ verb: "patch", resource: "deployments", group: "apps", namespace });
        builder.add({
          key: `undo:${step.sequence}`, group: "Image references", stage: 0,
          op: { type: "deployment.rewrite_images", ref: { namespace, name: target!.name }, mapping },
          target: { kind: "Deployment", namespace, name: target!.name },
          title: `Restore the previous image references of ${namespace}/${target!.name}`,
          before: Object.keys(mapping), after: Object.values(mapping),
          ...(allowed.allowed ? { status: "change" as const } : { status: "refused" as const, reason: allowed.reason ?? "Not allowed." }),
        });
        break;
      }
      case "iam.api_key.created":
      case "iam.service_id.created":
      case "iam.policy.created": {
        if (!deps.iam) {
          refuse(step, "IBM Cloud is not configured (IBMCLOUD_API_KEY), so IAM objects cannot be removed from here.");
          break;
        }
        if (step.action === "iam.api_key.created" && typeof detail.apiKeyId === "string") {
          const name = String(detail.name ?? detail.apiKeyId);
          builder.add({
            key: `undo:${step.sequence}`, group: "IBM Cloud IAM", stage: 2, dependsOn: secretUndoKeys,
            op: { type: "iam.delete_api_key", id: detail.apiKeyId, name },
            target: { kind: "APIKey", name }, title: `Delete API key ${name}`,
            ...(otherHolders.length
              ? {
                  status: "refused" as const,
                  reason: `${otherHolders.length} other pull secret${otherHolders.length === 1 ? "" : "s"} still hold this key (${otherHolders
                    .slice(0, 5)
                    .map((secret) => `${secret.namespace}/${secret.name}`)
                    .join(", ")}${otherHolders.length > 5 ? ", …" : ""}); deleting it would break their pulls. Remove or replace them first.`,
                }
              : { status: "change" as const }),
          });
        } else if (step.action === "iam.policy.created") {
          const created = (Array.isArray(detail.policies) ? (detail.policies as Array<{ id?: string; created?: boolean }>) : []).filter((p) => p.created && p.id);
          created.forEach((policy, position) =>
            builder.add({
              key: `undo:${step.sequence}:${position}`, group: "IBM Cloud IAM", stage: 3, dependsOn: apiKeyUndoKeys,
              op: { type: "iam.delete_policy", id: policy.id! }, target: { kind: "AccessPolicy", name: policy.id! },
              title: `Delete access policy ${policy.id}`, status: "change",
            }),
          );
          if (!created.length) builder.add({ key: `undo:${step.sequence}`, op: { type: "iam.delete_policy", id: "none" }, target: { kind: "AccessPolicy", name: "existing" }, group: "IBM Cloud IAM", title: "Keep the access policy", status: "skip", reason: "The policy existed before the operation." });
        } else if (step.action === "iam.service_id.created") {
          const serviceId = typeof detail.serviceId === "string" ? detail.serviceId : null;
          const base = {
            key: `undo:${step.sequence}`, group: "IBM Cloud IAM", stage: 4, dependsOn: apiKeyUndoKeys,
            op: { type: "iam.delete_service_id" as const, id: serviceId ?? "", name: String(detail.name ?? serviceId) },
            target: { kind: "ServiceID", name: String(detail.name ?? serviceId) }, title: `Delete service ID ${String(detail.name ?? serviceId)}`,
          };
          if (!serviceId) refuse(step, "The audit record does not name the service ID.");
          else if (detail.created !== true) builder.add({ ...base, status: "skip", reason: "The service ID existed before the operation; it is kept." });
          else builder.add({ ...base, status: "change" });
        } else refuse(step, "The audit record does not name the API key.");
        break;
      }
      case "secret.updated":
        refuse(step, "The previous content cannot be restored: Pullkeeper never keeps credential values.");
        break;
      case "secret.deleted":
        refuse(step, "A deleted secret cannot be restored: Pullkeeper never keeps credential values.");
        break;
      default:
        break; // verification, restarts and state checks change nothing to revert
    }
  }
  return builder.build({ kind: "undo", cluster, input: { operationId: operation.id, undoes: operation.kind }, readAt: inventory.readAt, namespaces: operation.namespaces });
}
