import { apiKeyDescriptionFor, apiKeyNameFor, serviceIdDescriptionFor, serviceIdNameFor } from "@/lib/iam/conventions";
import type { RegistryPolicySummary, RegistryRole, ServiceIdSummary } from "@/lib/iam/port";
import { normaliseRegion, rolesCover } from "@/lib/iam/policy-match";
import type { PullSecretInventory } from "@/lib/kube/port";
import type { WorkflowDeps } from "../engine/deps";
import type { PlanBuilder } from "../engine/plan-builder";
import { planLeftBehindKeyCleanup } from "./api-key-ledger";

/** Step keys of the IAM chain: service ID → access policy → API key. */
export const IAM_STEP_KEYS = { serviceId: "iam.ensure_service_id", policy: "iam.ensure_policy", apiKey: "iam.create_api_key" } as const;

export interface IamChainInput {
  cluster: string;
  namespace: string;
  role: RegistryRole;
  /** Empty: account-wide (every region). */
  regions: string[];
  registryNamespace: string | null;
  /** Why IAM cannot be used here; every step of the chain is then refused with it. */
  refusal: string | null;
  policyTitle: string;
  apiKeyTitle: string;
  inventory: PullSecretInventory;
}

/** Pure: whether the service ID's policies already grant `role` on every requested scope, as ensureRegistryPolicy judges it. */
export function policiesAlreadyGrant(policies: readonly RegistryPolicySummary[], want: Pick<IamChainInput, "role" | "regions" | "registryNamespace">): RegistryPolicySummary[] | null {
  const scopes = want.regions.length ? want.regions.map(normaliseRegion) : [null];
  const granting = scopes.map((region) =>
    policies.find(
      (policy) => (policy.region === null ? null : normaliseRegion(policy.region)) === region && policy.registryNamespace === want.registryNamespace && rolesCover(policy.roles, want.role),
    ),
  );
  return granting.every(Boolean) ? [...new Set(granting as RegistryPolicySummary[])] : null;
}

/** What IAM holds already, read for the preview; nothing when it cannot be read (the steps then say "find or create"). */
async function existingIdentity(deps: WorkflowDeps, builder: PlanBuilder, input: IamChainInput, serviceIdName: string) {
  if (!deps.iam || input.refusal) return { serviceId: null, policies: null };
  try {
    const serviceId = await deps.iam.findServiceId(serviceIdName);
    const policies = serviceId ? policiesAlreadyGrant(await deps.iam.listRegistryPolicies(serviceId.iamId), input) : null;
    return { serviceId, policies };
  } catch (error) {
    builder.warn({ code: "iam_permission_unknown", message: `Existing IAM service IDs and policies could not be read for the preview (${(error as Error).message}); the run finds or creates them.` });
    return { serviceId: null, policies: null };
  }
}

function serviceIdStep(builder: PlanBuilder, input: IamChainInput, name: string, existing: ServiceIdSummary | null) {
  const op = { type: "iam.ensure_service_id" as const, name, description: serviceIdDescriptionFor(input.cluster, input.namespace) };
  const common = { key: IAM_STEP_KEYS.serviceId, group: "IBM Cloud IAM", stage: 0, target: { kind: "ServiceID", name } };
  if (input.refusal) return builder.add({ ...common, op, title: `Find or create service ID ${name}`, status: "refused", reason: input.refusal });
  if (!existing) return builder.add({ ...common, op, title: `Find or create service ID ${name}`, status: "change" });
  return builder.add({
    ...common, op: { ...op, existing: { id: existing.id, iamId: existing.iamId } }, title: `Reuse service ID ${name} (${existing.id})`,
    status: "skip", reason: `Service ID ${name} already exists (${existing.id}); it is reused, not changed.`,
  });
}

/**
 * The IAM chain a new API-key pull secret needs, as the preview should show it:
 * an existing service ID and a policy that already grants the access appear as
 * reused (`skip`, no change), only what IAM lacks as a change; plus the deletion
 * of keys earlier runs left behind under the same name (api-key-ledger.ts).
 */
export async function planIamChain(builder: PlanBuilder, deps: WorkflowDeps, input: IamChainInput): Promise<void> {
  const serviceIdName = serviceIdNameFor(input.cluster, input.namespace);
  const keyName = apiKeyNameFor(input.cluster, input.namespace);
  const found = await existingIdentity(deps, builder, input, serviceIdName);
  serviceIdStep(builder, input, serviceIdName, found.serviceId);
  const refused = input.refusal ? { status: "refused" as const, reason: input.refusal } : null;
  const grantedBy = found.policies?.map((policy) => policy.id).join(", ");
  builder.add({
    key: IAM_STEP_KEYS.policy, group: "IBM Cloud IAM", stage: 1, dependsOn: [IAM_STEP_KEYS.serviceId],
    op: { type: "iam.ensure_policy", serviceIdStep: IAM_STEP_KEYS.serviceId, role: input.role, regions: input.regions, registryNamespace: input.registryNamespace },
    target: { kind: "AccessPolicy", name: `${serviceIdName}: ${input.role} on container-registry` }, title: input.policyTitle,
    ...(refused ?? (grantedBy ? { status: "skip" as const, reason: `Already granted by access policy ${grantedBy}; it is reused, not changed.` } : { status: "change" as const })),
  });
  builder.add({
    key: IAM_STEP_KEYS.apiKey, group: "IBM Cloud IAM", stage: 2, dependsOn: [IAM_STEP_KEYS.serviceId, IAM_STEP_KEYS.policy],
    op: { type: "iam.create_api_key", serviceIdStep: IAM_STEP_KEYS.serviceId, name: keyName, description: apiKeyDescriptionFor(serviceIdName, input.cluster, input.namespace) },
    target: { kind: "APIKey", name: keyName }, title: input.apiKeyTitle,
    ...(refused ?? { status: "change" as const }),
  });
  if (!input.refusal) await planLeftBehindKeyCleanup(builder, deps, { cluster: input.cluster, keyName, inventory: input.inventory, stage: 2 });
}
