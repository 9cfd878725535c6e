import type { KubeGateway, PullSecretDto } from "@/lib/kube/port";
import { applyPlan } from "./engine/apply";
import type { Actor, WorkflowDeps } from "./engine/deps";
import type { Plan } from "./engine/plan";
import { PlanBuilder } from "./engine/plan-builder";
import { unknownSecretMessage, unlessUnrecorded, type PullSecretRef, type SecretOperationDeps } from "./pull-secret-ref";

export interface DeleteSecretDeps extends SecretOperationDeps {
  kube: Pick<KubeGateway, "deleteSecret">;
  /** Drops the cluster's cached scan once it changed. */
  invalidate: (cluster: string) => void;
}

export class DeleteSecretError extends Error {
  override name = "DeleteSecretError";
}

/**
 * A one-step plan: delete the secret if Pullkeeper created it, else the step
 * is refused with the reason. Planned from the secret as last scanned; the
 * gateway checks again with a uid and resourceVersion precondition, so a
 * secret replaced meanwhile is not deleted.
 */
export function planDeletePullSecret(ref: PullSecretRef, known: PullSecretDto | undefined, readAt = new Date().toISOString()): Plan {
  const { namespace, secret: name } = ref;
  const refusal = !known
    ? unknownSecretMessage(ref)
    : known.managedBy !== "pullkeeper"
      ? `${namespace}/${name} was not created by Pullkeeper${known.managedBy ? ` (it is managed by ${known.managedBy})` : ""}, so it cannot be deleted here.`
      : null;
  const builder = new PlanBuilder();
  builder.add({
    key: `secret.delete:${namespace}/${name}`,
    action: "secret.deleted",
    op: { type: "secret.delete", ref: { namespace, name }, force: false },
    target: { kind: "Secret", namespace, name },
    title: `Delete pull secret ${namespace}/${name}`,
    group: "Pull secrets",
    ...(known?.credentialFingerprint ? { beforeFingerprint: known.credentialFingerprint } : {}),
    ...(refusal ? { status: "refused" as const, reason: refusal } : { status: "change" as const }),
  });
  return builder.build({ kind: "delete_pull_secret", cluster: ref.cluster, input: { secretName: `${namespace}/${name}` }, readAt, namespaces: [namespace] });
}

/**
 * Deletes a pull secret Pullkeeper created, as an audited `delete_pull_secret`
 * operation run by the workflow engine. A refused plan writes nothing, not even
 * an audit row; nothing is deleted if the audit log cannot be written.
 */
export async function deletePullSecret(deps: DeleteSecretDeps, ref: PullSecretRef, actor: Actor): Promise<{ operationId: string; summary: string }> {
  const plan = planDeletePullSecret(ref, await deps.lookup(ref));
  const step = plan.steps[0]!;
  if (step.status !== "change") throw new DeleteSecretError(step.reason ?? "This secret cannot be deleted here.");
  const name = `${ref.namespace}/${ref.secret}`;
  // The plan's only step calls deleteSecret; nothing else of the gateway is reached.
  const engine: WorkflowDeps = { kube: deps.kube as KubeGateway, iam: null, verifyRegistry: notUsed, audit: deps.audit, runnerId: deps.runnerId, concurrency: 1 };
  const result = await unlessUnrecorded(
    (onStarted) =>
      applyPlan(plan, engine, {
        actor,
        failurePolicy: "stop",
        onStarted,
        summarise: ({ status, steps }) => (status === "succeeded" ? `Deleted pull secret ${name}.` : `Deleting ${name} failed: ${steps[0]?.error?.message ?? "it did not run"}`),
      }),
    new DeleteSecretError("The audit log cannot be written right now, so nothing was deleted. Try again shortly."),
  ).finally(() => deps.invalidate(ref.cluster));
  if (result.status !== "succeeded") throw new DeleteSecretError(result.steps[0]?.error?.message ?? result.summary);
  return { operationId: result.operationId, summary: result.summary };
}

async function notUsed(): Promise<never> {
  throw new Error("a delete plan verifies no registry");
}
