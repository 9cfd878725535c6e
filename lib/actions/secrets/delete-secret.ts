import "server-only";
import type { AuditStore } from "@/lib/audit/port";
import type { SessionUser } from "@/lib/auth/permissions";
import { isKubeError } from "@/lib/kube/errors";
import type { KubeGateway, PullSecretDto } from "@/lib/kube/port";
import { startSecretOperation } from "./audited-operation";
import type { PullSecretRefInput } from "./schemas";

export interface DeleteSecretDeps {
  kube: Pick<KubeGateway, "deleteSecret">;
  audit: AuditStore;
  runnerId: string;
  /** The secret as last scanned, or undefined if the scan does not know it. */
  lookup: (input: PullSecretRefInput) => Promise<PullSecretDto | undefined>;
  /** Drops the cluster's cached scan once it changed. */
  invalidate: (cluster: string) => void;
}

export class DeleteSecretError extends Error {
  override name = "DeleteSecretError";
}

/**
 * Deletes a pull secret Pullkeeper created, as an audited `delete_pull_secret`
 * operation with one `secret.deleted` step. Refuses secrets managed by anything
 * else before calling the API; the gateway checks again with a uid and
 * resourceVersion precondition, so a secret replaced meanwhile is not deleted.
 */
export async function deletePullSecret(deps: DeleteSecretDeps, input: PullSecretRefInput, actor: SessionUser): Promise<{ operationId: string; summary: string }> {
  const known = await deps.lookup(input);
  if (!known) throw new DeleteSecretError(`No pull secret ${input.namespace}/${input.secret} is known in cluster ${input.cluster}. Refresh the page and try again.`);
  if (known.managedBy !== "pullkeeper") {
    throw new DeleteSecretError(`${input.namespace}/${input.secret} was not created by Pullkeeper${known.managedBy ? ` (it is managed by ${known.managedBy})` : ""}, so it cannot be deleted here.`);
  }
  const target = { kind: "Secret", namespace: input.namespace, name: input.secret };
  const fingerprint = known.credentialFingerprint ?? undefined;
  const operation = await startSecretOperation(deps, "delete_pull_secret", input, actor, new DeleteSecretError("The audit log cannot be written right now, so nothing was deleted. Try again shortly."));
  await deps.audit.recordStep(operation.id, { sequence: 1, phase: "started", action: "secret.deleted", outcome: "started", target, ...(fingerprint ? { beforeFingerprint: fingerprint } : {}) });
  const started = performance.now();
  try {
    const result = await deps.kube.deleteSecret(input.cluster, { namespace: input.namespace, name: input.secret });
    await deps.audit.recordStep(operation.id, {
      sequence: 1,
      phase: "finished",
      action: "secret.deleted",
      outcome: "succeeded",
      target,
      ...(fingerprint ? { beforeFingerprint: fingerprint } : {}),
      detail: { deleted: result.deleted },
      durationMs: Math.round(performance.now() - started),
    });
  } catch (error) {
    const message = isKubeError(error) ? error.message : "The delete stopped unexpectedly; the server log has the details.";
    await deps.audit.recordStep(operation.id, {
      sequence: 1,
      phase: "finished",
      action: "secret.deleted",
      outcome: "failed",
      target,
      error: { kind: isKubeError(error) ? error.kind : "internal", message },
      durationMs: Math.round(performance.now() - started),
    });
    await deps.audit.finishOperation(operation.id, { status: "failed", summary: `Deleting ${input.namespace}/${input.secret} failed: ${message}` });
    deps.invalidate(input.cluster);
    if (isKubeError(error)) throw new DeleteSecretError(message);
    throw error;
  }
  const summary = `Deleted pull secret ${input.namespace}/${input.secret}.`;
  await deps.audit.finishOperation(operation.id, { status: "succeeded", summary });
  deps.invalidate(input.cluster);
  return { operationId: operation.id, summary };
}
