import type { OperationStatus, OperationWithSteps, StepRecord } from "@/lib/audit/port";
import type { PullSecretInventory } from "@/lib/kube/port";
import type { WorkflowDeps } from "../engine/deps";
import type { PlanBuilder } from "../engine/plan-builder";

/**
 * IAM API keys a run created, as its audit record tells them: id, name and the
 * fingerprint of the credential (`iamapikey:<key>`), never the key. IAM never
 * returns a key's value again, and Pullkeeper keeps it nowhere but in the run's
 * memory and the pull secrets it writes; so a key whose run ended before any
 * secret carried it can never be used by anyone. Such a key is "left behind":
 * the operation page lists it, a re-run deletes it before minting the one it
 * needs, and undo deletes it.
 */
export interface ApiKeyLeftBehind {
  apiKeyId: string;
  name: string;
  /** Fingerprint of `iamapikey:<key>` as the pull-secret scan shows it; null in records older than this field. */
  fingerprint: string | null;
  serviceIamId: string | null;
  operationId: string;
  /** The `iam.create_api_key` step that created it. */
  sequence: number;
}

const ENDED_WITHOUT_FINISHING: readonly OperationStatus[] = ["failed", "partially_failed", "interrupted"];

const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

function createdKey(operationId: string, step: StepRecord): ApiKeyLeftBehind | null {
  const detail = step.detail ?? {};
  const apiKeyId = text(detail.apiKeyId);
  if (step.action !== "iam.api_key.created" || step.outcome !== "succeeded" || !apiKeyId) return null;
  return {
    apiKeyId,
    name: text(detail.name) ?? apiKeyId,
    fingerprint: text(detail.fingerprint),
    serviceIamId: text(detail.serviceIamId),
    operationId,
    sequence: step.sequence,
  };
}

/**
 * Pure: the keys an ended operation created and left unused. A key counts as
 * carried when a secret of the same operation was written or its write was under
 * way (every API-key secret of a run takes the run's one key), and as gone when
 * the same operation deleted it. Running or planned operations have left nothing behind yet.
 */
export function apiKeysLeftBehind(operation: OperationWithSteps): ApiKeyLeftBehind[] {
  if (!ENDED_WITHOUT_FINISHING.includes(operation.status)) return [];
  // A secret write still `started` when the run died may have reached the cluster: the key may be carried.
  // A rotation carries its key into existing secrets (`secret.key_rotated`).
  const carrying = operation.kind === "rotate_api_key" ? ["secret.created", "secret.key_rotated"] : ["secret.created"];
  const carried = operation.steps.some((step) => carrying.includes(step.action) && (step.outcome === "succeeded" || step.outcome === "started"));
  if (carried) return [];
  const deleted = new Set(
    operation.steps.filter((step) => step.action === "iam.api_key.deleted" && step.outcome === "succeeded").map((step) => text(step.detail?.apiKeyId)),
  );
  return operation.steps.flatMap((step) => createdKey(operation.id, step) ?? []).filter((key) => !deleted.has(key.apiKeyId));
}

/** Fingerprints of every credential the scanned pull secrets hold. */
export function heldFingerprints(inventory: PullSecretInventory): Set<string> {
  return new Set(inventory.pullSecrets.flatMap((secret) => secret.registries.map((entry) => entry.fingerprint)));
}

/** How many recent ended operations per status a plan looks through for keys left behind. */
const LOOKBACK_PER_STATUS = 25;

async function recordedKeysLeftBehind(deps: WorkflowDeps, cluster: string, keyName: string): Promise<ApiKeyLeftBehind[]> {
  const found = new Map<string, ApiKeyLeftBehind>();
  for (const status of ENDED_WITHOUT_FINISHING) {
    const page = await deps.audit.listOperations({ cluster, status }, { limit: LOOKBACK_PER_STATUS });
    for (const item of page.items) {
      const operation = await deps.audit.getOperation(item.id);
      for (const key of operation ? apiKeysLeftBehind(operation) : []) if (key.name === keyName) found.set(key.apiKeyId, key);
    }
  }
  return [...found.values()];
}

/** Of the recorded keys, those IAM still holds (a key an undo or earlier re-run deleted is not deleted twice). */
async function stillInIam(deps: WorkflowDeps, keys: ApiKeyLeftBehind[]): Promise<ApiKeyLeftBehind[]> {
  const iam = deps.iam!;
  const owners = [...new Set(keys.map((key) => key.serviceIamId).filter((id): id is string => id !== null))];
  const live = new Set<string>();
  for (const owner of owners) for (const key of await iam.listApiKeys(owner)) live.add(key.id);
  return keys.filter((key) => key.serviceIamId !== null && live.has(key.apiKeyId));
}

/**
 * Before a plan mints a new key named `keyName`, it deletes the ones earlier
 * runs of this cluster left behind under that name: each is unusable (its value
 * ended with its run), still present in IAM and held by no scanned pull secret.
 * Planned in `stage`, alongside the new key, depending on nothing.
 */
export async function planLeftBehindKeyCleanup(
  builder: PlanBuilder,
  deps: WorkflowDeps,
  scope: { cluster: string; keyName: string; inventory: PullSecretInventory; stage: number },
): Promise<void> {
  if (!deps.iam) return;
  let orphans: ApiKeyLeftBehind[];
  try {
    const held = heldFingerprints(scope.inventory);
    const recorded = (await recordedKeysLeftBehind(deps, scope.cluster, scope.keyName)).filter((key) => !key.fingerprint || !held.has(key.fingerprint));
    orphans = recorded.length ? await stillInIam(deps, recorded) : [];
  } catch (error) {
    builder.warn({ code: "partial_read", message: `API keys left behind by earlier runs could not be checked, so none is deleted: ${(error as Error).message}` });
    return;
  }
  for (const key of orphans) {
    builder.add({
      key: `iam.delete_api_key:${key.apiKeyId}`, group: "IBM Cloud IAM", stage: scope.stage, status: "change",
      op: { type: "iam.delete_api_key", id: key.apiKeyId, name: key.name },
      target: { kind: "APIKey", name: key.name },
      title: `Delete API key ${key.name} (${key.apiKeyId}) left behind by operation ${key.operationId}: no pull secret holds it and its value ended with that run`,
    });
  }
}
