import { hasMarker } from "./conventions";
import type { RegistryPolicySummary, RegistryRole } from "./port";

/**
 * Pure helpers over IAM v1 access policies for container-registry: building the
 * create body (ibm-cloud.md §3.1) and deciding whether an existing policy is the
 * "same scope" IAM would refuse with 409 and whether its roles already suffice.
 */

export const REGISTRY_SERVICE = "container-registry";

const ROLE_RANK: Record<RegistryRole, number> = { Reader: 1, Writer: 2, Manager: 3 };

/** IAM renamed registry regions; both names appear in existing policies. */
const REGION_ALIASES: Record<string, string> = {
  "uk-south": "eu-gb",
  "eu-central": "eu-de",
  "ap-south": "au-syd",
  "ap-north": "jp-tok",
};

export function normaliseRegion(region: string): string {
  const lower = region.trim().toLowerCase();
  return REGION_ALIASES[lower] ?? lower;
}

export function serviceRoleCrn(role: RegistryRole): string {
  return `crn:v1:bluemix:public:iam::::serviceRole:${role}`;
}

/** `crn:…:serviceRole:Reader` and `crn:…:container-registry::::serviceRole:Reader` both name "Reader". */
export function roleNameOf(roleId: string): string {
  const idx = roleId.lastIndexOf(":");
  return idx === -1 ? roleId : roleId.slice(idx + 1);
}

export interface PolicyAttribute {
  name: string;
  value: string;
  operator?: string;
}

/** The subset of the SDK's Policy model these helpers read. */
export interface PolicyLike {
  id?: string;
  type?: string;
  description?: string;
  created_at?: string;
  state?: string;
  subjects?: Array<{ attributes?: PolicyAttribute[] }>;
  roles?: Array<{ role_id: string; display_name?: string }>;
  resources?: Array<{ attributes?: PolicyAttribute[] }>;
}

export interface RegistryScope {
  accountId: string;
  serviceIamId: string;
  /** null: all regions. */
  region: string | null;
  /** null: all registry namespaces. */
  registryNamespace: string | null;
}

export function buildRegistryPolicyBody(scope: RegistryScope, role: RegistryRole, description: string) {
  const resource: PolicyAttribute[] = [
    { name: "accountId", value: scope.accountId, operator: "stringEquals" },
    { name: "serviceName", value: REGISTRY_SERVICE, operator: "stringEquals" },
  ];
  if (scope.region !== null) resource.push({ name: "region", value: scope.region, operator: "stringEquals" });
  if (scope.registryNamespace !== null) {
    resource.push({ name: "resourceType", value: "namespace", operator: "stringEquals" });
    resource.push({ name: "resource", value: scope.registryNamespace, operator: "stringEquals" });
  }
  return {
    type: "access",
    description,
    subjects: [{ attributes: [{ name: "iam_id", value: scope.serviceIamId }] }],
    roles: [{ role_id: serviceRoleCrn(role) }],
    resources: [{ attributes: resource }],
  };
}

function attr(attrs: PolicyAttribute[] | undefined, name: string): string | undefined {
  return attrs?.find((a) => a.name === name)?.value;
}

export function policyRoles(policy: PolicyLike): string[] {
  return (policy.roles ?? []).map((r) => roleNameOf(r.role_id));
}

/**
 * True when the policy has exactly the attributes a create for `scope` would
 * send: that is the policy IAM answers 409 for, whatever its roles.
 */
export function isSameRegistryScope(policy: PolicyLike, scope: RegistryScope): boolean {
  if (policy.type !== undefined && policy.type !== "access") return false;
  if (policy.state !== undefined && policy.state !== "active") return false;
  const subjects = policy.subjects ?? [];
  if (subjects.length !== 1 || attr(subjects[0]?.attributes, "iam_id") !== scope.serviceIamId) return false;
  const resources = policy.resources ?? [];
  if (resources.length !== 1) return false;
  const attrs = resources[0]?.attributes ?? [];
  const expected = new Map<string, string>([
    ["accountId", scope.accountId],
    ["serviceName", REGISTRY_SERVICE],
  ]);
  if (scope.region !== null) expected.set("region", normaliseRegion(scope.region));
  if (scope.registryNamespace !== null) {
    expected.set("resourceType", "namespace");
    expected.set("resource", scope.registryNamespace);
  }
  if (attrs.length !== expected.size) return false;
  return attrs.every((a) => {
    const want = expected.get(a.name);
    if (want === undefined) return false;
    return a.name === "region" ? normaliseRegion(a.value) === want : a.value === want;
  });
}

/** True when one of the roles is `wanted` or stronger (Reader < Writer < Manager). */
export function rolesCover(roles: readonly string[], wanted: RegistryRole): boolean {
  return roles.some((r) => r in ROLE_RANK && ROLE_RANK[r as RegistryRole] >= ROLE_RANK[wanted]);
}

export function summariseRegistryPolicy(policy: PolicyLike): RegistryPolicySummary {
  const attrs = policy.resources?.[0]?.attributes;
  const resourceType = attr(attrs, "resourceType");
  return {
    id: policy.id ?? "",
    roles: policyRoles(policy),
    region: attr(attrs, "region") ?? null,
    registryNamespace: resourceType === "namespace" ? (attr(attrs, "resource") ?? null) : null,
    ...(policy.description !== undefined ? { description: policy.description } : {}),
    ...(policy.created_at !== undefined ? { createdAt: policy.created_at } : {}),
    managedByPullkeeper: hasMarker(policy.description),
  };
}

export function isRegistryPolicy(policy: PolicyLike): boolean {
  return attr(policy.resources?.[0]?.attributes, "serviceName") === REGISTRY_SERVICE;
}

/**
 * True when one of `policies` grants `iamId` one of `roles` on `serviceName`
 * account-wide (no region or resource restriction) in `accountId`.
 */
export function grantsAccountWide(
  policies: readonly PolicyLike[],
  input: { iamId: string; accountId: string; serviceName: string; roles: readonly string[] },
): boolean {
  return policies.some((p) => {
    if (p.state !== undefined && p.state !== "active") return false;
    if (!(p.subjects ?? []).some((s) => attr(s.attributes, "iam_id") === input.iamId)) return false;
    if (!policyRoles(p).some((r) => input.roles.includes(r))) return false;
    return (p.resources ?? []).some((res) => {
      const attrs = res.attributes ?? [];
      return (
        attr(attrs, "accountId") === input.accountId &&
        attr(attrs, "serviceName") === input.serviceName &&
        attrs.every((a) => a.name === "accountId" || a.name === "serviceName")
      );
    });
  });
}
