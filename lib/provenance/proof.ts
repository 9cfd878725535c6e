import type { AuditStore } from "@/lib/audit/port";
import { STEP_ACTION_OF } from "@/lib/workflows/engine/step-actions";
import type { Provenance } from "./annotations";

/** Operations that write pull secrets. */
export const SECRET_WRITING_KINDS: readonly string[] = ["copy_pull_secrets", "migrate_to_api_keys", "create_scoped_credentials", "create_private_registry_secret", "keep_rule", "rotate_api_key", "undo"];
/** Steps that write a secret's content. */
export const SECRET_WRITING_ACTIONS: readonly string[] = [STEP_ACTION_OF["secret.create"], STEP_ACTION_OF["secret.copy"], STEP_ACTION_OF["secret.refresh_copy"], STEP_ACTION_OF["secret.rotate_key"], STEP_ACTION_OF["secret.restore_key"]];

/** `reason` says what is missing, without naming the secret (callers do). */
export type ProvenanceProof = { proven: true; operationId: string } | { proven: false; reason: string };

export interface SecretClaim {
  cluster: string;
  namespace: string;
  name: string;
  provenance: Provenance | null;
  /** The secret's current credential fingerprint; when known, it must be what the operation wrote. */
  credentialFingerprint?: string | null;
}

/**
 * Whether Pullkeeper provably wrote this secret: its provenance annotations
 * name an operation in the audit log, of a kind that writes secrets, on this
 * cluster, with a succeeded step that wrote exactly this namespace/name (and,
 * when both are known, this content: annotations copied onto another secret
 * of the same name do not carry over). The `app.kubernetes.io/managed-by:
 * pullkeeper` label is not evidence: anyone who can create a secret can set it.
 */
export async function proveProvenance(audit: Pick<AuditStore, "getOperation">, secret: SecretClaim): Promise<ProvenanceProof> {
  const where = `${secret.namespace}/${secret.name}`;
  const claim = secret.provenance;
  if (!claim) return { proven: false, reason: "no pullkeeper.io/operation-id annotation" };
  const named = `operation ${claim.operationId}`;
  if (claim.sourceCluster !== null && claim.sourceCluster !== secret.cluster) {
    return { proven: false, reason: `${named}: it says it was made from cluster ${claim.sourceCluster}, not ${secret.cluster}` };
  }
  const operation = await audit.getOperation(claim.operationId);
  if (!operation) return { proven: false, reason: `${named} is not in the audit log` };
  if (!SECRET_WRITING_KINDS.includes(operation.kind)) return { proven: false, reason: `${named} is a ${operation.kind} operation, which writes no pull secrets` };
  // A step of a multi-cluster operation (rotate_api_key) names its own cluster in its detail.
  const clusterOf = (step: { detail: Record<string, unknown> | null }) => (typeof step.detail?.cluster === "string" ? step.detail.cluster : operation.cluster);
  if (!operation.steps.some((step) => clusterOf(step) === secret.cluster)) return { proven: false, reason: `${named} ran on cluster ${operation.cluster ?? "(none)"}, not ${secret.cluster}` };
  const writes = operation.steps.filter(
    (step) =>
      SECRET_WRITING_ACTIONS.includes(step.action) &&
      clusterOf(step) === secret.cluster &&
      step.outcome === "succeeded" &&
      step.target?.kind === "Secret" &&
      step.target.namespace === secret.namespace &&
      step.target.name === secret.name,
  );
  if (writes.length === 0) return { proven: false, reason: `${named} did not write ${where}` };
  const current = secret.credentialFingerprint;
  if (current && !writes.some((step) => !step.afterFingerprint || step.afterFingerprint === current)) {
    return { proven: false, reason: `${named} wrote ${where}, but its content has changed since` };
  }
  return { proven: true, operationId: claim.operationId };
}
