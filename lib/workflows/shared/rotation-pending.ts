import type { WorkflowDeps } from "../engine/deps";

/** An old key an earlier rotation meant to retire and did not (its lock or delete failed, or was not attempted). */
export interface RetiringKey {
  keyId: string;
  keyName: string;
  locked: boolean;
}

export interface PendingRetirement {
  /** Entry fingerprint of the key the latest rotation of this service ID minted (null: none recorded). */
  minted: string | null;
  /** Keys earlier rotations left to retire that IAM still has. */
  keys: RetiringKey[];
}

const ENDED_UNFINISHED = ["failed", "partially_failed", "interrupted"];
/** Recent rotations read back: older unfinished retirements are not looked for (the operation page still lists them). */
const RECENT_ROTATIONS = 20;

/**
 * What earlier rotations of this service ID left undone, from the audit log:
 * retirement steps name the key id as their target, and the mint step records
 * the new key's fingerprint and service ID. A re-run uses it to finish the job
 * (retire those keys) without minting again when the fleet already holds the
 * key that rotation minted.
 */
export async function pendingRetirement(deps: WorkflowDeps, serviceIamId: string): Promise<PendingRetirement> {
  const recent = await deps.audit.listOperations({ kind: "rotate_api_key" }, { limit: RECENT_ROTATIONS });
  let minted: string | null = null;
  const pending = new Set<string>();
  for (const summary of recent.items) {
    if (summary.status === "dry_run") continue;
    const operation = await deps.audit.getOperation(summary.id);
    const created = operation?.steps.find((step) => step.action === "iam.api_key.created" && step.outcome === "succeeded");
    if (!operation || created?.detail?.serviceIamId !== serviceIamId) continue;
    if (minted === null && typeof created.detail.fingerprint === "string") minted = created.detail.fingerprint;
    if (!ENDED_UNFINISHED.includes(operation.status)) continue;
    const retiring = operation.steps.filter((step) => step.target?.kind === "ApiKey" && step.action === "iam.api_key.deleted");
    for (const step of retiring) if (step.outcome !== "succeeded" && step.target) pending.add(step.target.name);
  }
  if (!pending.size || !deps.iam) return { minted, keys: [] };
  // Only keys IAM still has; a key deleted by hand since is done.
  const live = await deps.iam.listApiKeys(serviceIamId);
  return { minted, keys: live.filter((key) => pending.has(key.id)).map((key) => ({ keyId: key.id, keyName: key.name, locked: key.locked })) };
}
