import type { StepRecord } from "@/lib/audit/port";
import type { PullSecretDto } from "@/lib/kube/port";
import { undoKey, type UndoContext } from "./undo-context";

type Refuse = (step: StepRecord, reason: string) => void;

/**
 * Pull secrets that will still hold the operation's API key after this undo:
 * by the key's fingerprint (recorded since keys carry one), else by the content
 * the operation wrote; minus the secrets this undo deletes.
 */
function keyHoldersAfterUndo(context: UndoContext, keyFingerprint: string | null): PullSecretDto[] {
  const written = context.done.filter((step) => step.action === "secret.created" || step.action === "secret.copied");
  const writtenContent = new Set(written.map((step) => step.afterFingerprint).filter((fp): fp is string => Boolean(fp)));
  const deleted = (secret: PullSecretDto) => context.secretRemovals.get(`${secret.namespace}/${secret.name}`)?.status === "change";
  return context.index.inventory.pullSecrets.filter((secret) => {
    if (deleted(secret)) return false;
    if (keyFingerprint) return secret.registries.some((entry) => entry.fingerprint === keyFingerprint);
    return secret.credentialFingerprint !== null && writtenContent.has(secret.credentialFingerprint);
  });
}

function holdersReason(holders: PullSecretDto[]): string {
  const names = holders.slice(0, 5).map((secret) => `${secret.namespace}/${secret.name}`).join(", ");
  const more = holders.length > 5 ? ", …" : "";
  return `${holders.length} other pull secret${holders.length === 1 ? "" : "s"} still hold this key (${names}${more}); deleting it would break their pulls. Remove or replace them first.`;
}

function planApiKeyDeletion(context: UndoContext, step: StepRecord, refuse: Refuse): void {
  const detail = step.detail ?? {};
  if (typeof detail.apiKeyId !== "string") return refuse(step, "The audit record does not name the API key.");
  const name = String(detail.name ?? detail.apiKeyId);
  const holders = keyHoldersAfterUndo(context, typeof detail.fingerprint === "string" ? detail.fingerprint : null);
  const secretUndoKeys = [...context.secretRemovals.values()].map((removal) => removal.key);
  context.builder.add({
    key: undoKey(step), group: "IBM Cloud IAM", stage: 2, dependsOn: secretUndoKeys,
    op: { type: "iam.delete_api_key", id: detail.apiKeyId, name },
    target: { kind: "APIKey", name }, title: `Delete API key ${name}`,
    ...(holders.length ? { status: "refused" as const, reason: holdersReason(holders) } : { status: "change" as const }),
  });
}

function planPolicyDeletions(context: UndoContext, step: StepRecord, apiKeyUndoKeys: string[]): void {
  const detail = step.detail ?? {};
  const created = (Array.isArray(detail.policies) ? (detail.policies as Array<{ id?: string; created?: boolean }>) : []).filter((p) => p.created && p.id);
  created.forEach((policy, position) =>
    context.builder.add({
      key: `${undoKey(step)}:${position}`, group: "IBM Cloud IAM", stage: 3, dependsOn: apiKeyUndoKeys,
      op: { type: "iam.delete_policy", id: policy.id! }, target: { kind: "AccessPolicy", name: policy.id! },
      title: `Delete access policy ${policy.id}`, status: "change",
    }),
  );
  if (!created.length) {
    context.builder.add({
      key: undoKey(step), op: { type: "iam.delete_policy", id: "none" }, target: { kind: "AccessPolicy", name: "existing" }, group: "IBM Cloud IAM",
      title: "Keep the access policy", status: "skip", reason: "The policy existed before the operation.",
    });
  }
}

function planServiceIdDeletion(context: UndoContext, step: StepRecord, apiKeyUndoKeys: string[], refuse: Refuse): void {
  const detail = step.detail ?? {};
  const serviceId = typeof detail.serviceId === "string" ? detail.serviceId : null;
  if (!serviceId) return refuse(step, "The audit record does not name the service ID.");
  const name = String(detail.name ?? serviceId);
  const base = {
    key: undoKey(step), group: "IBM Cloud IAM", stage: 4, dependsOn: apiKeyUndoKeys,
    op: { type: "iam.delete_service_id" as const, id: serviceId, name },
    target: { kind: "ServiceID", name }, title: `Delete service ID ${name}`,
  };
  if (detail.created !== true) context.builder.add({ ...base, status: "skip", reason: "The service ID existed before the operation; it is kept." });
  else context.builder.add({ ...base, status: "change" });
}

/**
 * IAM reversals, planned after every secret's: the API key only once no secret
 * left holds it, then policies and the service ID (removing them while the key
 * is still in use would break pulls too).
 */
export function planIamReversals(context: UndoContext, refuse: Refuse): void {
  const iamSteps = context.done.filter((step) => step.action.startsWith("iam.") && step.action.endsWith(".created"));
  if (!context.deps.iam) {
    for (const step of iamSteps) refuse(step, "IBM Cloud is not configured (IBMCLOUD_API_KEY), so IAM objects cannot be removed from here.");
    return;
  }
  const apiKeyUndoKeys = iamSteps.filter((step) => step.action === "iam.api_key.created").map(undoKey);
  for (const step of iamSteps) {
    if (step.action === "iam.api_key.created") planApiKeyDeletion(context, step, refuse);
    else if (step.action === "iam.policy.created") planPolicyDeletions(context, step, apiKeyUndoKeys);
    else if (step.action === "iam.service_id.created") planServiceIdDeletion(context, step, apiKeyUndoKeys, refuse);
  }
}
