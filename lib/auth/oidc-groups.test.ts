import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { authConfigFromEnv } from "./config";
import { deriveAccess, groupsFromClaim, parseGroupRoles } from "./oidc-groups";

const RULES = parseGroupRoles("platform-admins=admin; team-a=operator:cluster1,cluster2 ;team-b=operator:cluster3;everyone=viewer").rules;

describe("AUTH_OIDC_GROUP_ROLES", () => {
  it("parses group=role and group=role:clusters rules", () => {
    expect(parseGroupRoles("platform-admins=admin;team-a=operator:cluster1,cluster2;everyone=viewer")).toEqual({
      rules: [
        { group: "platform-admins", role: "admin", clusters: null },
        { group: "team-a", role: "operator", clusters: ["cluster1", "cluster2"] },
        { group: "everyone", role: "viewer", clusters: null },
      ],
      problems: [],
    });
    expect(parseGroupRoles("")).toEqual({ rules: [], problems: [] });
  });

  it("names each bad rule", () => {
    const { problems } = parseGroupRoles("admins=root;team-a;=viewer;x=viewer:;y=operator:ok,bad name;z=viewer;z=admin");
    expect(problems).toEqual([
      expect.stringContaining('"admins=root": unknown role "root"'),
      expect.stringContaining('"team-a": expected group=role'),
      expect.stringContaining('"=viewer": expected group=role'),
      expect.stringContaining('"x=viewer:": cluster names'),
      expect.stringContaining('"y=operator:ok,bad name": cluster names'),
      expect.stringContaining('group "z" is mapped twice'),
    ]);
  });

  it("refuses to start with a bad mapping, naming the setting", () => {
    expect(() => authConfigFromEnv(parseEnv({ AUTH_OIDC_GROUP_ROLES: "ops=superuser" }))).toThrowError(/AUTH_OIDC_GROUP_ROLES: "ops=superuser": unknown role/);
    const config = authConfigFromEnv(
      parseEnv({ AUTH_OIDC_ISSUER: "https://idp.example.com", AUTH_OIDC_CLIENT_ID: "c", AUTH_OIDC_CLIENT_SECRET: "s", AUTH_OIDC_GROUP_ROLES: "ops=admin" }),
    );
    expect(config.oidc).toMatchObject({ groupRoles: [{ group: "ops", role: "admin", clusters: null }], groupsClaim: "groups" });
  });
});

describe("deriveAccess", () => {
  it("gives the most privileged mapped role; a rule without clusters means every cluster", () => {
    expect(deriveAccess(RULES, ["everyone", "platform-admins"])).toEqual({ role: "admin", clusters: null });
    expect(deriveAccess(RULES, ["everyone"])).toEqual({ role: "viewer", clusters: null });
  });

  it("unites the clusters of the rules granting that role, and no lesser rule widens them", () => {
    expect(deriveAccess(RULES, ["team-b", "team-a"])).toEqual({ role: "operator", clusters: ["cluster1", "cluster2", "cluster3"] });
    expect(deriveAccess(RULES, ["team-a", "everyone"])).toEqual({ role: "operator", clusters: ["cluster1", "cluster2"] });
  });

  it("grants nothing (pending) when no group is mapped", () => {
    expect(deriveAccess(RULES, ["contractors"])).toBeNull();
    expect(deriveAccess(RULES, [])).toBeNull();
    expect(deriveAccess([], ["everyone"])).toBeNull();
  });

  it("reads groups from the claim", () => {
    expect(groupsFromClaim(["a", 1, "b"])).toEqual(["a", "b"]);
    expect(groupsFromClaim("a")).toEqual(["a"]);
    expect(groupsFromClaim(undefined)).toEqual([]);
  });
});
