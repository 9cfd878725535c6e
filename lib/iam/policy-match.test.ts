import { describe, expect, it } from "vitest";
import { buildRegistryPolicyBody, grantsAccountWide, isSameRegistryScope, normaliseRegion, roleNameOf, rolesCover, summariseRegistryPolicy, type RegistryScope } from "./policy-match";

const scope: RegistryScope = { accountId: "acct", serviceIamId: "iam-ServiceId-1", region: "eu-gb", registryNamespace: "team" };

describe("registry policies", () => {
  it("builds the v1 body IBM documents, with optional region and namespace", () => {
    const body = buildRegistryPolicyBody(scope, "Reader", "d");
    expect(body.roles).toEqual([{ role_id: "crn:v1:bluemix:public:iam::::serviceRole:Reader" }]);
    expect(body.subjects).toEqual([{ attributes: [{ name: "iam_id", value: "iam-ServiceId-1" }] }]);
    expect(body.resources[0]?.attributes.map((a) => `${a.name}=${a.value}`)).toEqual(["accountId=acct", "serviceName=container-registry", "region=eu-gb", "resourceType=namespace", "resource=team"]);
    const wide = buildRegistryPolicyBody({ ...scope, region: null, registryNamespace: null }, "Writer", "d");
    expect(wide.resources[0]?.attributes.map((a) => a.name)).toEqual(["accountId", "serviceName"]);
  });

  it("recognises a policy with identical attributes, accepting old region names and either role CRN", () => {
    const same = { ...buildRegistryPolicyBody({ ...scope, region: "uk-south" }, "Reader", "x"), state: "active" };
    expect(isSameRegistryScope(same, scope)).toBe(true);
    expect(isSameRegistryScope(same, { ...scope, registryNamespace: null })).toBe(false);
    expect(isSameRegistryScope(same, { ...scope, region: null })).toBe(false);
    expect(isSameRegistryScope({ ...same, state: "deleted" }, scope)).toBe(false);
    expect(isSameRegistryScope(same, { ...scope, serviceIamId: "iam-ServiceId-2" })).toBe(false);
    expect(roleNameOf("crn:v1:bluemix:public:container-registry::::serviceRole:Writer")).toBe("Writer");
  });

  it("orders roles Reader < Writer < Manager and ignores platform roles", () => {
    expect(rolesCover(["Writer"], "Reader")).toBe(true);
    expect(rolesCover(["Reader"], "Writer")).toBe(false);
    expect(rolesCover(["Administrator"], "Reader")).toBe(false);
    expect(normaliseRegion(" AP-North ")).toBe("jp-tok");
  });

  it("summarises without losing scope", () => {
    const s = summariseRegistryPolicy({ id: "p", ...buildRegistryPolicyBody(scope, "Manager", "x [managed-by:pullkeeper]") });
    expect(s).toEqual({ id: "p", roles: ["Manager"], region: "eu-gb", registryNamespace: "team", description: "x [managed-by:pullkeeper]", managedByPullkeeper: true });
  });

  it("detects direct account-wide grants only", () => {
    const p = (attrs: Array<[string, string]>, role: string) => ({
      subjects: [{ attributes: [{ name: "iam_id", value: "IBMid-1" }] }],
      roles: [{ role_id: `crn:v1:bluemix:public:iam::::role:${role}` }],
      resources: [{ attributes: attrs.map(([name, value]) => ({ name, value })) }],
    });
    const q = { iamId: "IBMid-1", accountId: "a", serviceName: "iam-identity", roles: ["Administrator"] };
    expect(grantsAccountWide([p([["accountId", "a"], ["serviceName", "iam-identity"]], "Administrator")], q)).toBe(true);
    expect(grantsAccountWide([p([["accountId", "a"], ["serviceName", "iam-identity"], ["region", "us-south"]], "Administrator")], q)).toBe(false);
    expect(grantsAccountWide([p([["accountId", "a"], ["serviceName", "iam-identity"]], "Viewer")], q)).toBe(false);
  });
});
