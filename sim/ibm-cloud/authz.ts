import { normaliseRegion } from "./regions";
import type { SimAttribute, SimPolicy } from "./state";

/**
 * Access decisions over v1 access policies, as IAM evaluates them for the
 * operations the simulator serves. Pure functions so the rules are unit-tested.
 */

/** `crn:v1:bluemix:public:iam::::serviceRole:Reader` and `crn:…:container-registry::::serviceRole:Reader` both name "Reader". */
export function roleName(roleId: string): string {
  const idx = roleId.lastIndexOf(":");
  return idx === -1 ? roleId : roleId.slice(idx + 1);
}

function attribute(attrs: readonly SimAttribute[], name: string): string | undefined {
  return attrs.find((a) => a.name === name)?.value;
}

export interface AccessRequest {
  iamId: string;
  accountId: string;
  serviceName: string;
  /** Any one of these role names satisfies the request. */
  anyOfRoles: readonly string[];
  /**
   * `account`: only policies without region/resource restrictions count (managing the service).
   * Otherwise the region (required) and, when given, the registry namespace the request targets.
   */
  scope: "account" | { region: string; namespace?: string };
}

export function policyGrants(policy: SimPolicy, req: AccessRequest): boolean {
  if (policy.state !== "active" || policy.type !== "access") return false;
  const subjectMatches = policy.subjects.some((s) => attribute(s.attributes, "iam_id") === req.iamId);
  if (!subjectMatches) return false;
  if (!policy.roles.some((r) => req.anyOfRoles.includes(roleName(r.role_id)))) return false;
  return policy.resources.some((res) => {
    const attrs = res.attributes;
    if (attribute(attrs, "accountId") !== req.accountId) return false;
    if (attribute(attrs, "serviceName") !== req.serviceName) return false;
    const region = attribute(attrs, "region");
    const resourceType = attribute(attrs, "resourceType");
    const resource = attribute(attrs, "resource");
    if (req.scope === "account") return region === undefined && resourceType === undefined && resource === undefined;
    if (region !== undefined && normaliseRegion(region) !== normaliseRegion(req.scope.region)) return false;
    if (resourceType === "namespace" && resource !== undefined && req.scope.namespace !== undefined) {
      return resource === req.scope.namespace;
    }
    return true;
  });
}

export function hasAccess(policies: readonly SimPolicy[], req: AccessRequest): boolean {
  return policies.some((p) => policyGrants(p, req));
}

function attributeKey(attrs: readonly SimAttribute[]): string {
  return attrs
    .map((a) => `${a.name}=${a.name === "region" ? normaliseRegion(a.value) : a.value}`)
    .sort()
    .join("&");
}

/**
 * IAM refuses a second policy whose type, subject and resource attributes are
 * identical to an existing one, whatever its roles (ibm-cloud.md §3.1 409 body
 * asks to "update the roles in the existing policy").
 */
export function findIdenticalPolicy(
  policies: readonly SimPolicy[],
  candidate: Pick<SimPolicy, "type" | "subjects" | "resources">,
): SimPolicy | undefined {
  const subjectKey = candidate.subjects.map((s) => attributeKey(s.attributes)).sort().join("|");
  const resourceKey = candidate.resources.map((r) => attributeKey(r.attributes)).sort().join("|");
  return policies.find(
    (p) =>
      p.state === "active" &&
      p.type === candidate.type &&
      p.subjects.map((s) => attributeKey(s.attributes)).sort().join("|") === subjectKey &&
      p.resources.map((r) => attributeKey(r.attributes)).sort().join("|") === resourceKey,
  );
}

export const REGISTRY_PULL_ROLES = ["Reader", "Writer", "Manager"] as const;
/** Platform roles that may create or delete service IDs (plus IAM's dedicated "Service ID creator" role). */
export const SERVICE_ID_ADMIN_ROLES = ["Operator", "Editor", "Administrator", "ServiceIdCreator"] as const;
export const IDENTITY_WRITE_ROLES = ["Operator", "Editor", "Administrator"] as const;
export const IDENTITY_READ_ROLES = ["Viewer", "Operator", "Editor", "Administrator"] as const;
