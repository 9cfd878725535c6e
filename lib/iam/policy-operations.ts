import type IamPolicyManagementV1 from "@ibm-cloud/platform-services/iam-policy-management/v1";
import { IamError, isIamError, type IamErrorContext } from "./errors";
import { deleteIgnoringMissing, nextPageToken, type IamCall, type IamLogger } from "./sdk-call";
import {
  buildRegistryPolicyBody,
  grantsAccountWide,
  isRegistryPolicy,
  isSameRegistryScope,
  normaliseRegion,
  policyRoles,
  REGISTRY_SERVICE,
  rolesCover,
  summariseRegistryPolicy,
  type PolicyLike,
  type RegistryScope,
} from "./policy-match";
import { withMarker } from "./conventions";
import type { EnsuredPolicy, IamIdentity, IamPort, PermissionPreflight, RegistryRole } from "./port";

const REGISTRY_ROLES: readonly RegistryRole[] = ["Reader", "Writer", "Manager"];

/** What the policy operations need of the client: its call wrapper, the Policy Management SDK and who it is. */
export interface PolicyOperationsContext {
  call: IamCall;
  policies: IamPolicyManagementV1;
  policyUrl: string;
  log: IamLogger;
  whoAmI(): Promise<IamIdentity>;
  accountOf(accountId: string | undefined): Promise<string>;
}

type PolicyLister = (accountId: string, iamId: string) => Promise<PolicyLike[]>;

/**
 * IAM has no "may I?" API: the identity's direct access policies are read and
 * anything they do not grant is `unknown`, decided by the first write.
 */
async function permissionPreflight(me: IamIdentity, listOwnPolicies: () => Promise<PolicyLike[]>): Promise<PermissionPreflight> {
  const notes: string[] = [];
  let own: PolicyLike[] = [];
  try {
    own = await listOwnPolicies();
  } catch (error) {
    if (!isIamError(error) || error.kind !== "forbidden") throw error;
    notes.push("Pullkeeper's identity may not list its own access policies, so nothing could be checked in advance.");
  }
  const grants = (serviceName: string, roles: string[]) =>
    grantsAccountWide(own, { iamId: me.iamId, accountId: me.accountId, serviceName, roles }) ? ("granted" as const) : ("unknown" as const);
  const result: PermissionPreflight = {
    identity: me,
    createServiceIds: grants("iam-identity", ["Operator", "Editor", "Administrator", "ServiceIdCreator"]),
    createApiKeys: grants("iam-identity", ["Operator", "Editor", "Administrator"]),
    assignRegistryAccess: grants(REGISTRY_SERVICE, ["Administrator"]),
    notes,
  };
  if ([result.createServiceIds, result.createApiKeys, result.assignRegistryAccess].includes("unknown")) {
    notes.push(
      "IAM has no API to test a permission without using it; access through access groups or account ownership is not visible here. Anything marked unknown is decided by the first write.",
    );
  }
  return result;
}

/**
 * One scope's policy: the existing identical-scope one when it grants the role
 * (or a stronger one), else a new one; a weaker existing grant is a conflict.
 */
async function ensureOneScope(
  { call, policies, policyUrl, log, listPoliciesFor }: Pick<PolicyOperationsContext, "call" | "policies" | "policyUrl" | "log"> & { listPoliciesFor: PolicyLister },
  scope: RegistryScope,
  role: RegistryRole,
  description: string,
  existing: PolicyLike[],
): Promise<EnsuredPolicy> {
  const context: IamErrorContext = { accountId: scope.accountId, serviceIamId: scope.serviceIamId, ...(scope.region ? { region: scope.region } : {}) };
  const settle = (match: PolicyLike): EnsuredPolicy => {
    const roles = policyRoles(match);
    if (rolesCover(roles, role)) return { policyId: match.id ?? "", region: scope.region, created: false, roles };
    throw new IamError({
      kind: "conflict",
      operation: "create_policy",
      status: 409,
      context: { ...context, ...(match.id ? { policyId: match.id } : {}) },
      message: `Access policy ${match.id ?? "(unknown id)"} already covers this scope of container-registry for service ID ${scope.serviceIamId} but grants only ${roles.join(", ") || "no roles"}, not ${role}. Pullkeeper does not change existing policies: add the ${role} role to that policy, or delete it, then retry.`,
    });
  };
  const match = existing.find((p) => isSameRegistryScope(p, scope));
  if (match) return settle(match);
  try {
    const created = (await call("create_policy", policyUrl, context, false, () =>
      policies.createPolicy(buildRegistryPolicyBody(scope, role, description)),
    )) as PolicyLike;
    log.info({ policyId: created.id, serviceIamId: scope.serviceIamId, region: scope.region, registryNamespace: scope.registryNamespace, role }, "iam.policy.created");
    return { policyId: created.id ?? "", region: scope.region, created: true, roles: policyRoles(created) };
  } catch (error) {
    // A 409 means an identical-scope policy appeared since we listed (or our list missed it): re-read and judge it.
    if (!isIamError(error) || error.kind !== "conflict") throw error;
    const again = (await listPoliciesFor(scope.accountId, scope.serviceIamId)).find((p) => isSameRegistryScope(p, scope));
    if (!again) throw error;
    return settle(again);
  }
}

/**
 * The IAM Policy Management half of the port: the permission preflight and
 * registry access policies (v1). Idempotent by identical scope; never edits an
 * existing policy (see the README's invariants).
 */
export function createPolicyOperations({ call, policies, policyUrl, log, whoAmI, accountOf }: PolicyOperationsContext): Pick<IamPort, "canManageServiceIds" | "ensureRegistryPolicy" | "listRegistryPolicies" | "deletePolicy"> {
  async function listPoliciesFor(accountId: string, iamId: string): Promise<PolicyLike[]> {
    const out: PolicyLike[] = [];
    let start: string | undefined;
    do {
      const page = await call("list_policies", policyUrl, { accountId, serviceIamId: iamId }, true, () =>
        policies.listPolicies({ accountId, iamId, type: "access", limit: 100, ...(start ? { start } : {}) }),
      );
      out.push(...((page.policies ?? []) as PolicyLike[]));
      start = nextPageToken(page.next, "start");
    } while (start);
    return out.filter((p) => p.state === undefined || p.state === "active");
  }

  return {
    async canManageServiceIds() {
      const me = await whoAmI();
      return permissionPreflight(me, () => listPoliciesFor(me.accountId, me.iamId));
    },

    async ensureRegistryPolicy(input) {
      if (!REGISTRY_ROLES.includes(input.role)) {
        throw new IamError({ kind: "invalid", operation: "create_policy", message: `Role ${String(input.role)} is not a Container Registry service role; use Reader, Writer or Manager.` });
      }
      const accountId = await accountOf(input.accountId);
      const regions = [...new Set((input.regions ?? []).map(normaliseRegion).filter((r) => r !== ""))];
      const namespace = input.registryNamespace?.trim() || null;
      const description = withMarker(
        input.description ?? `${input.role} access to IBM Cloud Container Registry${namespace ? ` namespace ${namespace}` : ""}`,
      );
      const existing = await listPoliciesFor(accountId, input.serviceIamId);
      const scopes: RegistryScope[] = (regions.length > 0 ? regions : [null]).map((region) => ({
        accountId,
        serviceIamId: input.serviceIamId,
        region,
        registryNamespace: namespace,
      }));
      const ensured: EnsuredPolicy[] = [];
      for (const scope of scopes) {
        const one = await ensureOneScope({ call, policies, policyUrl, log, listPoliciesFor }, scope, input.role, description, existing);
        if (!one.created) log.debug({ policyId: one.policyId, serviceIamId: input.serviceIamId, region: one.region }, "iam.policy.exists");
        ensured.push(one);
      }
      const first = ensured[0] as EnsuredPolicy;
      return { policyId: first.policyId, created: ensured.some((p) => p.created), policies: ensured };
    },

    async listRegistryPolicies(serviceIamId, accountId) {
      const account = await accountOf(accountId);
      return (await listPoliciesFor(account, serviceIamId)).filter(isRegistryPolicy).map(summariseRegistryPolicy);
    },

    async deletePolicy(id) {
      await deleteIgnoringMissing(call, "delete_policy", policyUrl, { policyId: id }, () => policies.deletePolicy({ policyId: id }));
      log.info({ policyId: id }, "iam.policy.deleted");
    },
  };
}
