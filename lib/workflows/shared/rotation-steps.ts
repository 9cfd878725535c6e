import type { ApiKeyIdentity } from "@/lib/iam/port";
import type { PullSecretDto } from "@/lib/kube/port";
import type { AccessChecker } from "../engine/access";
import type { PlanBuilder } from "../engine/plan-builder";
import { apiKeyEntries, type ClusterRead, type Holders, type KeyFact } from "./rotation-fleet";
import type { RetiringKey } from "./rotation-pending";

export interface RotationContext {
  builder: PlanBuilder;
  owner: { iamId: string; serviceId: string | null; name: string };
  /** The keys being retired: entry fingerprint → what IAM says of the key. */
  oldKeys: ReadonlyMap<string, ApiKeyIdentity>;
  graceSeconds: number;
  facts: ReadonlyMap<string, KeyFact>;
  fleet: readonly ClusterRead[];
  holders: Holders;
  access: ReadonlyMap<string, AccessChecker>;
}

const SERVICE_ID_STEP = "iam.service_id";
const NEW_KEY_STEP = "iam.api_key";
const at = (cluster: string, secret: Pick<PullSecretDto, "namespace" | "name">) => `${cluster}/${secret.namespace}/${secret.name}`;

/** The mint: the service ID is reused as it is (a `skip` step carrying its ids), one new key is created for it. */
function planNewKey(context: RotationContext): void {
  const { builder, owner } = context;
  builder.add({
    key: SERVICE_ID_STEP, group: "IBM Cloud IAM", stage: 0,
    op: { type: "iam.ensure_service_id", name: owner.name, description: "", existing: { id: owner.serviceId ?? "", iamId: owner.iamId } },
    target: { kind: "ServiceId", name: owner.name }, title: `Rotate the key of service ID ${owner.name}`, status: "skip", reason: "The service ID stays; only its key changes.",
  });
  const oldNames = [...new Set([...context.oldKeys.values()].map((key) => key.keyName))].join(", ");
  builder.add({
    key: NEW_KEY_STEP, group: "IBM Cloud IAM", stage: 1,
    op: { type: "iam.create_api_key", serviceIdStep: SERVICE_ID_STEP, name: `${owner.name}-rotated`, description: `Replaces ${oldNames} (rotated by Pullkeeper)` },
    target: { kind: "ApiKey", name: `${owner.name}-rotated` }, title: `Create a new API key for ${owner.name} (its value goes only into the pull secrets below)`, status: "change",
  });
  planHoldOldKeys(context);
}

const holdKey = (fingerprint: string) => `iam.hold_old_key:${fingerprint}`;

/**
 * With a grace period, each old key's value is read from a secret holding it and kept, sealed with the run, until
 * the run closes, so an undo before the delete can write it back. A leaked key (grace 0) is never kept. Every
 * write waits for these steps: a key that cannot be kept stops the rotation before anything changes.
 */
function planHoldOldKeys(context: RotationContext): void {
  if (context.graceSeconds === 0) return;
  const holders = [...context.holders.sources, ...context.holders.copies, ...context.holders.unproven];
  for (const [fingerprint, key] of context.oldKeys) {
    const holder = holders.find(({ secret }) => apiKeyEntries(secret).some((entry) => entry.fingerprint === fingerprint));
    if (!holder) continue;
    context.builder.add({
      key: holdKey(fingerprint), group: "IBM Cloud IAM", stage: 1, cluster: holder.cluster,
      op: { type: "iam.hold_old_key", fingerprint, name: key.keyName, from: { namespace: holder.secret.namespace, name: holder.secret.name } },
      target: { kind: "ApiKey", name: key.keyId },
      title: `Keep the old key ${key.keyName} (sealed, until it is deleted) so that this rotation can be undone before then`, status: "change",
    });
  }
}

/** The hold steps planned: every write depends on them. */
const holdSteps = (context: RotationContext) => [...context.oldKeys.keys()].map(holdKey).filter((key) => context.builder.has(key));

/** One write and one verify step for a secret holding an old key; returns their keys. */
async function planOne(context: RotationContext, cluster: string, secret: PullSecretDto, source: { secret: PullSecretDto; evidence: string } | null): Promise<string[]> {
  // A copy's dead key (unknown to IAM: left by an earlier rotation) is replaced as well.
  const replace = apiKeyEntries(secret).filter((entry) => context.oldKeys.has(entry.fingerprint) || (source !== null && context.facts.get(entry.fingerprint)?.status === "unknown"));
  const domains = replace.map((entry) => entry.registry);
  const decision = await context.access.get(cluster)!.check({ verb: "update", resource: "secrets", namespace: secret.namespace });
  const writeKey = `secret.rotate_key:${at(cluster, secret)}`;
  const verifyKey = `registry.verify:${at(cluster, secret)}`;
  context.builder.add({
    key: writeKey, group: `Pull secrets · ${cluster}`, stage: source ? 3 : 2, cluster,
    dependsOn: [NEW_KEY_STEP, ...holdSteps(context), ...(source ? [`secret.rotate_key:${at(cluster, source.secret)}`] : [])],
    op: {
      type: "secret.rotate_key", ref: { namespace: secret.namespace, name: secret.name }, keyStep: NEW_KEY_STEP, replace: replace.map((entry) => entry.fingerprint), expectedFingerprint: secret.credentialFingerprint,
      previous: replace.map((entry) => ({ registry: entry.registry, fingerprint: entry.fingerprint })),
      ...(source ? { source: { namespace: source.secret.namespace, name: source.secret.name } } : {}),
    },
    target: { kind: "Secret", namespace: secret.namespace, name: secret.name },
    title: source
      ? `Refresh copy ${secret.namespace}/${secret.name} on ${cluster} with the new key (a copy of default/${source.secret.name}: ${source.evidence})`
      : `Write the new key into ${secret.namespace}/${secret.name} on ${cluster} (${domains.join(", ")})`,
    before: replace.map((entry) => `${entry.registry}: key ${entry.fingerprint}`), after: domains.map((domain) => `${domain}: the new key`),
    beforeFingerprint: secret.credentialFingerprint,
    ...(decision.allowed ? { status: "change" as const } : { status: "refused" as const, reason: decision.reason ?? "Not allowed." }),
  });
  context.builder.add({
    key: verifyKey, group: `Verification · ${cluster}`, stage: 4, cluster, dependsOn: [writeKey],
    op: { type: "registry.verify", ref: { namespace: secret.namespace, name: secret.name }, domains },
    target: { kind: "Secret", namespace: secret.namespace, name: secret.name },
    title: `Verify ${secret.namespace}/${secret.name} on ${cluster} against ${domains.join(", ")}`, status: "change",
  });
  return [writeKey, verifyKey];
}

/** The new key and every secret write; returns the keys of the writes and verifications retirement waits for. */
export async function planSecretUpdates(context: RotationContext): Promise<string[]> {
  planNewKey(context);
  const keys: string[] = [];
  for (const { cluster, secret } of context.holders.sources) keys.push(...(await planOne(context, cluster, secret, null)));
  for (const copy of context.holders.copies) keys.push(...(await planOne(context, copy.cluster, copy.secret, { secret: copy.source, evidence: copy.evidence })));
  warnAboutTheRest(context);
  return keys;
}

/**
 * Lock each old key once every secret holds the new one, verified; delete it
 * after the grace period. The steps' target is the key's id, so a later re-run
 * can tell from the audit log which keys are still to retire (rotation-pending.ts).
 */
export function planRetirement(context: RotationContext, written: string[], leftover: readonly RetiringKey[]): void {
  const unreadable = context.fleet.filter((read) => !read.inventory);
  const refusal = unreadable.length ? `Cluster ${unreadable.map((read) => read.cluster).join(", ")} could not be read: its secrets may still hold the old key. Re-run once it answers.` : null;
  const byId = new Map<string, RetiringKey>([...context.oldKeys.values()].map((key) => [key.keyId, { keyId: key.keyId, keyName: key.keyName, locked: key.locked }]));
  for (const key of leftover) if (!byId.has(key.keyId)) byId.set(key.keyId, key);
  for (const key of byId.values()) {
    const lockKey = `iam.lock_api_key:${key.keyId}`;
    context.builder.add({
      key: lockKey, group: "Retire the old key", stage: 5, dependsOn: written,
      op: { type: "iam.lock_api_key", id: key.keyId, name: key.keyName }, target: { kind: "ApiKey", name: key.keyId },
      title: written.length ? `Lock the old key ${key.keyName} once every secret above holds the new key, verified` : `Lock the old key ${key.keyName} (an earlier rotation left it to retire)`,
      ...(refusal ? { status: "refused" as const, reason: refusal } : key.locked ? { status: "skip" as const, reason: "Already locked." } : { status: "change" as const }),
    });
    const grace = context.graceSeconds;
    context.builder.add({
      key: `iam.delete_api_key:${key.keyId}`, group: "Retire the old key", stage: 6, dependsOn: key.locked ? [] : [lockKey],
      ...(grace > 0 ? { waitSeconds: grace } : {}),
      op: { type: "iam.delete_api_key", id: key.keyId, name: key.keyName, locked: true }, target: { kind: "ApiKey", name: key.keyId },
      title: grace > 0 ? `Delete the old key ${key.keyName} ${describeGrace(grace)} after it is locked (this operation resumes by itself)` : `Delete the old key ${key.keyName} at once (grace 0: a leaked key)`,
      ...(refusal ? { status: "refused" as const, reason: refusal } : { status: "change" as const }),
    });
  }
}

export function describeGrace(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** What the plan leaves alone, said: other holders of the old key, independent keys, pods, unreadable clusters. */
function warnAboutTheRest(context: RotationContext): void {
  const { builder, holders } = context;
  if (holders.unproven.length) {
    builder.warn({
      code: "old_key_elsewhere",
      message: "These secrets hold the old key but are not provable copies of a secret in default, so they are left alone: they stop working when the old key is deleted. Update them by hand or make them copies first.",
      targets: holders.unproven.map(({ cluster, secret }) => at(cluster, secret)),
    });
  }
  const independent = context.fleet.flatMap(({ cluster, inventory }) =>
    (inventory?.pullSecrets ?? []).flatMap((secret) => {
      const owners = apiKeyEntries(secret).map((entry) => context.facts.get(entry.fingerprint)).flatMap((fact) => (fact?.status === "found" && fact.identity.iamId !== context.owner.iamId ? [fact.identity] : []));
      return owners.length ? [`${at(cluster, secret)} (key of ${owners[0]!.owner.kind === "service_id" ? (owners[0]!.owner.name ?? owners[0]!.owner.serviceId) : owners[0]!.iamId})`] : [];
    }),
  );
  if (independent.length) builder.warn({ code: "independent_credentials", message: "Independent credentials (another service ID's key) are left alone:", targets: independent });
  const holderNames = new Set([...holders.sources, ...holders.copies, ...holders.unproven].map(({ cluster, secret }) => at(cluster, secret)));
  const pods = context.fleet.flatMap(({ cluster, inventory }) =>
    (inventory?.workloads ?? []).filter((w) => w.kind === "Pod" && w.imagePullSecrets.some((name) => holderNames.has(`${cluster}/${w.namespace}/${name}`))).map((w) => `${cluster}/${w.namespace}/${w.name}`),
  );
  if (pods.length) {
    builder.warn({ code: "pods_on_old_key", message: "Pods running now with a secret that holds the old key (the kubelet reads the secret at each pull: pulls after the update use the new key; images already pulled keep running):", targets: pods });
  }
  for (const read of context.fleet.filter((candidate) => !candidate.inventory)) builder.warn({ code: "partial_read", message: `Cluster ${read.cluster} could not be read (${read.error ?? "unreadable"}): the old key is not retired until it is.` });
}
