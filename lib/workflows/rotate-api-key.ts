import { z } from "zod";
import type { ApiKeyIdentity } from "@/lib/iam/port";
import { AccessChecker } from "./engine/access";
import type { WorkflowDeps } from "./engine/deps";
import { WorkflowError } from "./engine/errors";
import type { Plan } from "./engine/plan";
import { PlanBuilder } from "./engine/plan-builder";
import { pendingRetirement } from "./shared/rotation-pending";
import { planRetirement, planSecretUpdates, type RotationContext } from "./shared/rotation-steps";
import { apiKeyEntries, classifyHolders, identifyFleetKeys, readFleet, type ClusterRead, type KeyFact } from "./shared/rotation-fleet";
import { clusterNameSchema, namespaceNameSchema, objectNameSchema } from "./shared/schemas";

/** A day: long enough for running pods to be rescheduled with the new key before the old one goes. */
export const DEFAULT_GRACE_SECONDS = 86_400;

/**
 * Rotating a service ID's API key across the fleet: where to start (a secret,
 * the service ID, or the fingerprint of a leaked key) and how long the old key
 * lives on, locked, once every secret holds the new one (0: deleted at once).
 */
export const rotateApiKeyInputSchema = z
  .object({
    cluster: clusterNameSchema,
    from: z.enum(["secret", "service_id", "fingerprint"]).default("secret"),
    namespace: namespaceNameSchema.optional(),
    name: objectNameSchema.optional(),
    serviceIamId: z.string().trim().regex(/^iam-ServiceId-[0-9a-f-]{8,}$/, "an IAM id: iam-ServiceId-…").optional(),
    fingerprint: z.string().trim().regex(/^[0-9a-f]{12}$/, "a credential fingerprint: 12 hex digits").optional(),
    graceSeconds: z.coerce.number().int().min(0, "0 or more seconds").max(30 * 86_400, "at most 30 days").default(DEFAULT_GRACE_SECONDS),
  })
  .refine((input) => input.from !== "secret" || (input.namespace && input.name), { message: "name the secret whose key to rotate", path: ["name"] })
  .refine((input) => input.from !== "service_id" || input.serviceIamId, { message: "enter the service ID's IAM id", path: ["serviceIamId"] })
  .refine((input) => input.from !== "fingerprint" || input.fingerprint, { message: "enter the leaked key's fingerprint", path: ["fingerprint"] });
export type RotateApiKeyInput = z.infer<typeof rotateApiKeyInputSchema>;

/** The entry fingerprints the start names: the keys of the secret, or the leaked key. */
function startingKeys(input: RotateApiKeyInput, fleet: readonly ClusterRead[]): string[] {
  if (input.from === "fingerprint") return [input.fingerprint!];
  if (input.from !== "secret") return [];
  const inventory = fleet.find((read) => read.cluster === input.cluster)?.inventory;
  if (!inventory) throw new WorkflowError("invalid", `Cluster ${input.cluster} cannot be read now; try again.`);
  const secret = inventory.pullSecrets.find((candidate) => candidate.namespace === input.namespace && candidate.name === input.name);
  if (!secret) throw new WorkflowError("invalid", `Secret ${input.namespace}/${input.name} is not a pull secret of cluster ${input.cluster}.`);
  const keys = apiKeyEntries(secret).map((entry) => entry.fingerprint);
  if (!keys.length) throw new WorkflowError("invalid", `${input.namespace}/${input.name} holds no IAM API key (user iamapikey): there is no key to rotate.`);
  return keys;
}

const found = (fact: KeyFact | undefined): ApiKeyIdentity | null => (fact?.status === "found" ? fact.identity : null);

/** The service ID whose key rotates, from the start the operator chose. */
function owningServiceId(input: RotateApiKeyInput, fleet: readonly ClusterRead[], facts: ReadonlyMap<string, KeyFact>): { iamId: string; serviceId: string | null; name: string } {
  if (input.from === "service_id") {
    const known = [...facts.values()].map(found).find((identity) => identity?.iamId === input.serviceIamId);
    return { iamId: input.serviceIamId!, serviceId: known?.owner.kind === "service_id" ? known.owner.serviceId : null, name: known?.owner.kind === "service_id" ? (known.owner.name ?? input.serviceIamId!) : input.serviceIamId! };
  }
  const keys = startingKeys(input, fleet);
  const identities = keys.map((key) => facts.get(key));
  const owner = identities.map(found).find((identity) => identity?.owner.kind === "service_id");
  if (!owner || owner.owner.kind !== "service_id") {
    const fact = identities[0];
    const why = !fact ? "no pull secret in the fleet holds this key" : fact.status === "unknown" ? "IAM does not know this key (deleted, or never existed)" : fact.status === "not_visible" ? "the key belongs to another account or an identity Pullkeeper's API key may not see" : fact.status === "unreadable" ? fact.reason : "the key belongs to a user, not a service ID";
    throw new WorkflowError("invalid", `Cannot rotate: ${why}.`);
  }
  return { iamId: owner.iamId, serviceId: owner.owner.serviceId, name: owner.owner.name ?? owner.owner.serviceId };
}

/**
 * Plans the rotation over every cluster: mint one key for the service ID,
 * write it into the sources in `default` and their provable copies, verify
 * each, then lock the old keys and delete them after the grace period.
 */
export async function planRotateApiKey(input: RotateApiKeyInput, deps: WorkflowDeps): Promise<Plan> {
  const fleet = await readFleet(deps);
  const facts = await identifyFleetKeys(deps, fleet);
  const owner = owningServiceId(input, fleet, facts);
  // Sorted: the plan's step order (and so its digest) must not depend on which IAM lookup answered first.
  const oldKeys = new Map([...facts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).flatMap(([fingerprint, fact]) => (found(fact)?.iamId === owner.iamId ? [[fingerprint, found(fact)!] as const] : [])));
  const builder = new PlanBuilder();
  const context: RotationContext = {
    builder, owner, oldKeys, graceSeconds: input.graceSeconds, facts, fleet,
    holders: await classifyHolders(deps, fleet, new Set(oldKeys.keys()), (fingerprint) => facts.get(fingerprint)?.status === "unknown"),
    access: new Map(fleet.map((read) => [read.cluster, new AccessChecker(deps.kube, read.cluster)])),
  };
  const pending = await pendingRetirement(deps, owner.iamId);
  // A re-run after a rotation whose writes all landed but whose retirement failed: the fleet holds only the key it
  // minted, so the job left is to retire the old keys, not to mint again.
  const finishing = pending.keys.length > 0 && oldKeys.size === 1 && oldKeys.has(pending.minted ?? "");
  const rotating = !finishing && oldKeys.size > 0 && (context.holders.sources.length > 0 || context.holders.copies.length > 0);
  const written = rotating ? await planSecretUpdates(context) : [];
  if (rotating || finishing) planRetirement(rotating ? context : { ...context, oldKeys: new Map() }, written, pending.keys);
  else builder.warn({ code: "nothing_to_do", message: `No pull secret in the fleet holds a key of ${owner.name} that Pullkeeper could rotate.` });
  const readAt = fleet.map((read) => read.inventory?.readAt).find(Boolean) ?? new Date().toISOString();
  return builder.build({ kind: "rotate_api_key", cluster: input.cluster, input, readAt });
}
