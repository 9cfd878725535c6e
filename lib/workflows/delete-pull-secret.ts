import type { AuditStore } from "@/lib/audit/port";
import type { KubeGateway, PullSecretDto } from "@/lib/kube/port";
import { proveProvenance } from "@/lib/provenance/proof";
import { applyPlan } from "./engine/apply";
import type { Actor, WorkflowDeps } from "./engine/deps";
import type { Plan } from "./engine/plan";
import { PlanBuilder } from "./engine/plan-builder";
import { unknownSecretMessage, unlessUnrecorded, type PullSecretRef, type SecretOperationDeps } from "./pull-secret-ref";
import { PullkeeperError, type ErrorKind } from "@/lib/errors";

export interface DeleteSecretDeps extends SecretOperationDeps {
  kube: Pick<KubeGateway, "deleteSecret">;
  /** Drops the cluster's cached scan once it changed. */
  invalidate: (cluster: string) => void;
}

/** Why a Delete did not happen, in words for the operator (refused, not audited, or failed). */
export class DeleteSecretError extends PullkeeperError {
  override name = "DeleteSecretError";
  constructor(message: string, kind: ErrorKind = "rejected") {
    super("workflow", kind, message);
  }
}

/**
 * A one-step plan: delete the secret if Pullkeeper provably created it, else
 * the step is refused with the reason. The managed-by label is not proof
 * (anyone can set it): the secret's provenance annotations must name an
 * operation in the audit log that wrote it (lib/provenance). Planned from the
 * secret as last scanned; the gateway checks again with a uid and
 * resourceVersion precondition, so a secret replaced meanwhile is not deleted.
 */
export async function planDeletePullSecret(
  audit: Pick<AuditStore, "getOperation">,
  ref: PullSecretRef,
  known: PullSecretDto | undefined,
  readAt = new Date().toISOString(),
): Promise<Plan> {
  const { namespace, secret: name } = ref;
  const refusal = await deleteRefusal(audit, ref, known);
  const proven = !refusal && known?.provenance ? { operationId: known.provenance.operationId, fingerprint: known.credentialFingerprint } : null;
  const builder = new PlanBuilder();
  builder.add({
    key: `secret.delete:${namespace}/${name}`,
    op: { type: "secret.delete", ref: { namespace, name }, force: false, ...(proven ? { expect: proven } : {}) },
    target: { kind: "Secret", namespace, name },
    title: `Delete pull secret ${namespace}/${name}`,
    group: "Pull secrets",
    ...(known?.credentialFingerprint ? { beforeFingerprint: known.credentialFingerprint } : {}),
    ...(refusal ? { status: "refused" as const, reason: refusal } : { status: "change" as const }),
  });
  return builder.build({ kind: "delete_pull_secret", cluster: ref.cluster, input: { secretName: `${namespace}/${name}` }, readAt, namespaces: [namespace] });
}

async function deleteRefusal(audit: Pick<AuditStore, "getOperation">, ref: PullSecretRef, known: PullSecretDto | undefined): Promise<string | null> {
  const where = `${ref.namespace}/${ref.secret}`;
  if (!known) return unknownSecretMessage(ref);
  if (known.managedBy !== "pullkeeper") {
    return `${where} was not created by Pullkeeper${known.managedBy ? ` (it is managed by ${known.managedBy})` : ""}, so it cannot be deleted here.`;
  }
  const proof = await proveProvenance(audit, {
    cluster: ref.cluster,
    namespace: ref.namespace,
    name: ref.secret,
    provenance: known.provenance ?? null,
    credentialFingerprint: known.credentialFingerprint,
  });
  return proof.proven ? null : `${where} carries the managed-by label but no Pullkeeper provenance matching the audit log (${proof.reason}): refusing to delete.`;
}

/**
 * Deletes a pull secret Pullkeeper created, as an audited `delete_pull_secret`
 * operation run by the workflow engine. A refused plan writes nothing, not even
 * an audit row; nothing is deleted if the audit log cannot be written.
 */
export async function deletePullSecret(deps: DeleteSecretDeps, ref: PullSecretRef, actor: Actor): Promise<{ operationId: string; summary: string }> {
  const plan = await planDeletePullSecret(deps.audit, ref, await deps.lookup(ref));
  const step = plan.steps[0]!;
  if (step.status !== "change") throw new DeleteSecretError(step.reason ?? "This secret cannot be deleted here.");
  const name = `${ref.namespace}/${ref.secret}`;
  // The plan's only step calls deleteSecret; nothing else of the gateway is reached.
  const engine: WorkflowDeps = { kube: deps.kube as KubeGateway, iam: null, verifyRegistry: notUsed, audit: deps.audit, ...(deps.runs ? { runs: deps.runs } : {}), concurrency: 1 };
  const result = await unlessUnrecorded(
    (onStarted) =>
      applyPlan(plan, engine, {
        actor,
        failurePolicy: "stop",
        onStarted,
        summarise: ({ status, steps }) => (status === "succeeded" ? `Deleted pull secret ${name}.` : `Deleting ${name} failed: ${steps[0]?.error?.message ?? "it did not run"}`),
      }),
    new DeleteSecretError("The audit log cannot be written right now, so nothing was deleted. Try again shortly.", "unavailable"),
  ).finally(() => deps.invalidate(ref.cluster));
  if (result.status !== "succeeded") throw new DeleteSecretError(result.steps[0]?.error?.message ?? result.summary);
  return { operationId: result.operationId, summary: result.summary };
}

async function notUsed(): Promise<never> {
  throw new Error("a delete plan verifies no registry");
}
