import { describe, expect, it } from "vitest";
import { findIdenticalPolicy, hasAccess, roleName, type AccessRequest } from "./authz";
import { policyRecord, SERVICE_ROLE, PLATFORM_ROLE } from "./seed";

const at = new Date("2024-01-01T00:00:00Z");
const policy = (resource: Record<string, string>, roles = [SERVICE_ROLE("Reader")], subject = "iam-ServiceId-1") =>
  policyRecord({ uuid: `p-${JSON.stringify(resource)}-${roles.join()}`, subjectIamId: subject, roleIds: roles, resource, createdBy: "IBMid-x" }, at);
const pull = (region: string, namespace?: string): AccessRequest => ({
  iamId: "iam-ServiceId-1",
  accountId: "a",
  serviceName: "container-registry",
  anyOfRoles: ["Reader", "Writer", "Manager"],
  scope: { region, ...(namespace !== undefined ? { namespace } : {}) },
});

describe("sim authz", () => {
  it("an account-wide Reader policy allows pulls in every region", () => {
    const p = [policy({ accountId: "a", serviceName: "container-registry" })];
    expect(hasAccess(p, pull("us-south"))).toBe(true);
    expect(hasAccess(p, pull("global", "any"))).toBe(true);
    expect(hasAccess(p, { ...pull("us-south"), accountId: "b" })).toBe(false);
    expect(hasAccess(p, { ...pull("us-south"), iamId: "iam-ServiceId-2" })).toBe(false);
  });

  it("region and namespace restrictions apply, with old region names", () => {
    const p = [policy({ accountId: "a", serviceName: "container-registry", region: "uk-south", resourceType: "namespace", resource: "team" })];
    expect(hasAccess(p, pull("eu-gb"))).toBe(true);
    expect(hasAccess(p, pull("eu-gb", "team"))).toBe(true);
    expect(hasAccess(p, pull("eu-gb", "other"))).toBe(false);
    expect(hasAccess(p, pull("eu-de"))).toBe(false);
  });

  it("platform roles do not allow pulls, and management checks need account-wide policies", () => {
    expect(hasAccess([policy({ accountId: "a", serviceName: "container-registry" }, [PLATFORM_ROLE("Administrator")])], pull("us-south"))).toBe(false);
    const admin: AccessRequest = { iamId: "iam-ServiceId-1", accountId: "a", serviceName: "container-registry", anyOfRoles: ["Administrator"], scope: "account" };
    expect(hasAccess([policy({ accountId: "a", serviceName: "container-registry", region: "us-south" }, [PLATFORM_ROLE("Administrator")])], admin)).toBe(false);
    expect(hasAccess([policy({ accountId: "a", serviceName: "container-registry" }, [PLATFORM_ROLE("Administrator")])], admin)).toBe(true);
  });

  it("finds identical policies regardless of roles and attribute order, and ignores deleted ones", () => {
    const existing = policy({ accountId: "a", serviceName: "container-registry", region: "eu-gb" });
    const candidate = policy({ region: "uk-south", serviceName: "container-registry", accountId: "a" }, [SERVICE_ROLE("Manager")]);
    expect(findIdenticalPolicy([existing], candidate)?.id).toBe(existing.id);
    expect(findIdenticalPolicy([existing], policy({ accountId: "a", serviceName: "container-registry" }))).toBeUndefined();
    expect(findIdenticalPolicy([{ ...existing, state: "deleted" }], candidate)).toBeUndefined();
    expect(roleName("crn:v1:bluemix:public:container-registry::::serviceRole:Writer")).toBe("Writer");
  });
});
