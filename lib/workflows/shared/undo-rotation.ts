import type { OperationWithSteps, StepRecord } from "@/lib/audit/port";
import type { PullSecretDto } from "@/lib/kube/port";
import { AccessChecker } from "../engine/access";
import type { WorkflowDeps } from "../engine/deps";
import { WorkflowError } from "../engine/errors";
import type { Plan, PlanStep, StepOp } from "../engine/plan";
import { PlanBuilder } from "../engine/plan-builder";
import { apiKeyEntries, readFleet, type ClusterRead } from "./rotation-fleet";

type RotateOp = Extract<StepOp, { type: "secret.rotate_key" }>;

const TAKE_OVER = "undo:retirement";
const ended = (step: StepRecord, action: string) => step.action === action && step.outcome === "succeeded";

/**
 * Why a rotation cannot be undone now, or null. Read from the audit record
 * alone, so the operation page asks the same question as the planner: only a
 * rotation waiting out its grace period (every secret written and verified,
 * the old key locked, its value kept) can be undone, and never once the old
 * key's delete has started.
 */
export function rotationUndoRefusal(operation: Pick<OperationWithSteps, "status" | "steps">): string | null {
  const deleted = operation.steps.find((step) => step.action === "iam.api_key.deleted" && (step.outcome === "succeeded" || step.outcome === "started"));
  if (deleted) {
    return `The old key ${String(deleted.detail?.name ?? deleted.target?.name ?? "")} was deleted (step ${deleted.sequence}): IAM cannot bring a deleted key back, so this rotation cannot be undone. To move to another key, rotate again.`;
  }
  if (operation.status !== "running") {
    return "This rotation has closed: Pullkeeper keeps the old key's value (sealed) only while a rotation waits to delete it, so it cannot write it back now. The old key, if IAM still has it, is untouched by this refusal; to move to another key, rotate again.";
  }
  if (!operation.steps.some((step) => ended(step, "iam.api_key.held"))) {
    return "This rotation kept no copy of the old key (a rotation with grace 0, for a leaked key, never keeps it), so it cannot write it back. Cancel it to keep the old key, or rotate again.";
  }
  if (!operation.steps.some((step) => step.action === "iam.api_key.locked" && (step.outcome === "succeeded" || step.outcome === "skipped"))) {
    return "This rotation is still writing secrets: it can be undone once every secret holds the new key and the old one is locked (while it waits to delete it). Cancel it first if it must stop now.";
  }
  return null;
}

/** The rotation's plan as its open run holds it, and which old keys' values it kept. */
async function storedRotation(deps: WorkflowDeps, operationId: string): Promise<{ steps: PlanStep[]; cluster: string; kept: string[] }> {
  const stored = await deps.runs?.load(operationId).catch(() => null);
  if (!stored) throw new WorkflowError("invalid", "This rotation's run state is not readable here (it closed meanwhile, or was stored under another AUTH_SECRET): its old key's value cannot be written back.");
  // Only the fingerprints leave this function: the values stay in the sealed row until the undo's first step takes them.
  const kept = Object.values(stored.outputs).flatMap((output) => Object.keys(output.previousKeys ?? {}));
  return { steps: stored.plan.steps, cluster: stored.plan.cluster, kept: [...new Set(kept)].sort() };
}

interface Restore {
  step: PlanStep & { op: RotateOp };
  record: StepRecord;
  cluster: string;
}

/** What key each entry of the secret gets back: its own earlier key when kept, else (a dead key a copy held) the one old key kept. */
function restoreGroups(op: RotateOp, kept: readonly string[]): Array<{ fingerprint: string; registries: string[] }> | string {
  const previous = op.previous ?? [];
  if (!previous.length) return "the rotation did not record which key each entry held (an earlier version of Pullkeeper)";
  const groups = new Map<string, string[]>();
  for (const entry of previous) {
    const fingerprint = kept.includes(entry.fingerprint) ? entry.fingerprint : kept.length === 1 ? kept[0]! : null;
    if (!fingerprint) return `its entry for ${entry.registry} held key ${entry.fingerprint}, whose value the rotation did not keep`;
    groups.set(fingerprint, [...(groups.get(fingerprint) ?? []), entry.registry]);
  }
  return [...groups].map(([fingerprint, registries]) => ({ fingerprint, registries }));
}

const secretAt = (fleet: readonly ClusterRead[], cluster: string, ref: { namespace: string; name: string }): PullSecretDto | null | undefined => {
  const read = fleet.find((candidate) => candidate.cluster === cluster);
  if (!read?.inventory) return undefined;
  return read.inventory.pullSecrets.find((secret) => secret.namespace === ref.namespace && secret.name === ref.name) ?? null;
};

/** Why a rotated secret is not restored as it is now (skip or refused), or null. */
function reasonToLeave(live: PullSecretDto | null | undefined, restore: Restore, newKey: string, kept: readonly string[]): { status: "skip" | "refused"; reason: string } | null {
  if (live === undefined) return { status: "refused", reason: `Cluster ${restore.cluster} cannot be read now; undo again once it answers.` };
  if (live === null) return { status: "skip", reason: "Already gone." };
  const keys = apiKeyEntries(live).map((entry) => entry.fingerprint);
  if (!keys.includes(newKey)) {
    return keys.some((key) => kept.includes(key)) ? { status: "skip", reason: "Already holds the old key." } : { status: "refused", reason: "It no longer holds the rotation's key (changed since); it is left alone." };
  }
  if (restore.record.afterFingerprint && live.credentialFingerprint !== restore.record.afterFingerprint) {
    return { status: "refused", reason: "Its content changed since the rotation wrote it; it is left alone." };
  }
  return null;
}

/**
 * Undo of a key rotation still waiting to delete the old key: take the kept
 * old key over (and cancel the rotation's delete), unlock it, write it back
 * into every secret the rotation changed (sources in `default` first, then
 * their copies, each on its own cluster), verify each, then delete the key the
 * rotation minted once no secret left holds it.
 */
export async function planRotationUndo(operation: OperationWithSteps & { cluster: string }, deps: WorkflowDeps): Promise<Plan> {
  const refusal = rotationUndoRefusal(operation);
  if (refusal) throw new WorkflowError("invalid", refusal);
  if (!deps.iam) throw new WorkflowError("not_configured", "IBM Cloud is not configured (IBMCLOUD_API_KEY): the old key cannot be unlocked nor the new one deleted from here.");
  const rotation = await storedRotation(deps, operation.id);
  const created = operation.steps.find((step) => ended(step, "iam.api_key.created"));
  const newKey = typeof created?.detail?.fingerprint === "string" ? created.detail.fingerprint : null;
  if (!created || !newKey || typeof created.detail?.apiKeyId !== "string") throw new WorkflowError("invalid", "The rotation's record does not name the key it minted; nothing can be undone safely.");
  const fleet = await readFleet(deps);
  const builder = new PlanBuilder();
  builder.add({
    key: TAKE_OVER, group: "The rotation", stage: 0,
    op: { type: "rotation.cancel_retirement", operationId: operation.id, fingerprints: rotation.kept },
    target: { kind: "Operation", name: operation.id },
    title: `Cancel the rotation's pending delete of the old key and take the old key's kept value for this undo (operation ${operation.id})`, status: "change",
  });
  for (const lock of operation.steps.filter((step) => ended(step, "iam.api_key.locked"))) {
    const id = String(lock.detail?.apiKeyId ?? lock.target?.name ?? "");
    const name = String(lock.detail?.name ?? id);
    builder.add({
      key: `undo:${lock.sequence}`, group: "IBM Cloud IAM", stage: 1, dependsOn: [TAKE_OVER],
      op: { type: "iam.unlock_api_key", id, name }, target: { kind: "ApiKey", name: id }, title: `Unlock the old key ${name}`, status: "change",
    });
  }
  const records = new Map(operation.steps.map((step) => [step.sequence, step]));
  const restores: Restore[] = rotation.steps.flatMap((step) => {
    const record = records.get(step.sequence);
    return step.op.type === "secret.rotate_key" && record && ended(record, "secret.key_rotated") ? [{ step: step as Restore["step"], record, cluster: step.cluster ?? rotation.cluster }] : [];
  });
  const written = await planRestores(builder, deps, fleet, restores, newKey, rotation.kept);
  planNewKeyDeletion(builder, fleet, written, { id: created.detail.apiKeyId, name: String(created.detail.name ?? created.detail.apiKeyId), fingerprint: newKey });
  const readAt = fleet.map((read) => read.inventory?.readAt).find(Boolean) ?? new Date().toISOString();
  return builder.build({ kind: "undo", cluster: operation.cluster, input: { operationId: operation.id, undoes: operation.kind }, readAt, namespaces: operation.namespaces });
}

/** One restore and one verify per secret the rotation wrote; returns the keys of the restores and verifications planned as changes. */
async function planRestores(builder: PlanBuilder, deps: WorkflowDeps, fleet: readonly ClusterRead[], restores: Restore[], newKey: string, kept: readonly string[]): Promise<string[]> {
  const access = new Map<string, AccessChecker>();
  const keys: string[] = [];
  const restoreKey = (cluster: string, ref: { namespace: string; name: string }) => `secret.restore_key:${cluster}/${ref.namespace}/${ref.name}`;
  // Sources in default first: a copy records the source it matches, as the rotation did.
  for (const restore of [...restores].sort((a, b) => Number(Boolean(a.step.op.source)) - Number(Boolean(b.step.op.source)))) {
    const { op } = restore.step;
    const live = secretAt(fleet, restore.cluster, op.ref);
    const groups = restoreGroups(op, kept);
    const leave = typeof groups === "string" ? { status: "refused" as const, reason: `Cannot restore: ${groups}.` } : reasonToLeave(live, restore, newKey, kept);
    const sourceKey = op.source ? restoreKey(restore.cluster, op.source) : null;
    if (!access.has(restore.cluster)) access.set(restore.cluster, new AccessChecker(deps.kube, restore.cluster));
    const decision = leave ? null : await access.get(restore.cluster)!.check({ verb: "update", resource: "secrets", namespace: op.ref.namespace });
    const registries = (op.previous ?? []).map((entry) => entry.registry);
    const key = restoreKey(restore.cluster, op.ref);
    const planned = builder.add({
      key, group: `Pull secrets · ${restore.cluster}`, stage: op.source ? 3 : 2, cluster: restore.cluster,
      dependsOn: [TAKE_OVER, ...(sourceKey && builder.has(sourceKey) ? [sourceKey] : [])],
      op: { type: "secret.restore_key", ref: op.ref, keysStep: TAKE_OVER, current: newKey, restore: typeof groups === "string" ? [] : groups, expectedFingerprint: live?.credentialFingerprint ?? null, ...(op.source ? { source: op.source } : {}) },
      target: { kind: "Secret", namespace: op.ref.namespace, name: op.ref.name },
      title: `Write the old key back into ${op.ref.namespace}/${op.ref.name} on ${restore.cluster} (${registries.join(", ")}), rotated by step ${restore.record.sequence}`,
      before: registries.map((registry) => `${registry}: key ${newKey}`),
      after: typeof groups === "string" ? null : groups.flatMap((group) => group.registries.map((registry) => `${registry}: key ${group.fingerprint}`)),
      beforeFingerprint: live?.credentialFingerprint ?? null,
      ...(leave ?? (decision!.allowed ? { status: "change" as const } : { status: "refused" as const, reason: decision!.reason ?? "Not allowed." })),
    });
    if (planned.status !== "change") continue;
    const verifyKey = `registry.verify:${restore.cluster}/${op.ref.namespace}/${op.ref.name}`;
    builder.add({
      key: verifyKey, group: `Verification · ${restore.cluster}`, stage: 4, cluster: restore.cluster, dependsOn: [key],
      op: { type: "registry.verify", ref: op.ref, domains: registries }, target: { kind: "Secret", namespace: op.ref.namespace, name: op.ref.name },
      title: `Verify ${op.ref.namespace}/${op.ref.name} on ${restore.cluster} against ${registries.join(", ")}`, status: "change",
    });
    keys.push(key, verifyKey);
  }
  return keys;
}

/** The key the rotation minted goes once every secret holding it has the old key back; refused while any other secret holds it. */
function planNewKeyDeletion(builder: PlanBuilder, fleet: readonly ClusterRead[], written: string[], key: { id: string; name: string; fingerprint: string }): void {
  const restored = new Set(written.filter((k) => k.startsWith("secret.restore_key:")).map((k) => k.slice("secret.restore_key:".length)));
  const others = fleet.flatMap(({ cluster, inventory }) =>
    (inventory?.pullSecrets ?? []).filter((secret) => apiKeyEntries(secret).some((entry) => entry.fingerprint === key.fingerprint) && !restored.has(`${cluster}/${secret.namespace}/${secret.name}`)).map((secret) => `${cluster}/${secret.namespace}/${secret.name}`),
  );
  const unread = fleet.filter((read) => !read.inventory).map((read) => read.cluster);
  const reason = others.length
    ? `${others.length} pull secret${others.length === 1 ? "" : "s"} would still hold it (${others.slice(0, 5).join(", ")}${others.length > 5 ? ", …" : ""}); deleting it would break their pulls.`
    : unread.length
      ? `Cluster ${unread.join(", ")} cannot be read: its secrets may hold the new key.`
      : null;
  builder.add({
    key: "undo:new-key", group: "IBM Cloud IAM", stage: 5, dependsOn: written,
    op: { type: "iam.delete_api_key", id: key.id, name: key.name }, target: { kind: "ApiKey", name: key.id },
    title: `Delete the key the rotation minted, ${key.name}, once every secret above holds the old key again`,
    ...(reason ? { status: "refused" as const, reason } : { status: "change" as const }),
  });
}
