import { describe, expect, it } from "vitest";
import {
  assertCan,
  can,
  ForbiddenError,
  PERMISSIONS,
  permissionsOf,
  ROLES,
  visibleClusters,
  type Permission,
  type Role,
  type SessionUser,
} from "./permissions";

const user = (role: Role, clusters: string[] | null = null): SessionUser => ({
  id: `id-${role}`,
  email: `${role}@example.com`,
  name: role,
  role,
  clusters,
});

// The whole map, written out: a change to ROLE_PERMISSIONS must change this table too.
const EXPECTED: Record<Role, Record<Permission, boolean>> = {
  viewer: {
    "coverage.read": true, "secrets.read": true, "audit.read": true, "audit.export": false,
    "workflow.plan": false, "workflow.apply": false, "users.manage": false, "settings.manage": false,
    "rules.operate": false, "rules.manage": false,
  },
  operator: {
    "coverage.read": true, "secrets.read": true, "audit.read": true, "audit.export": true,
    "workflow.plan": true, "workflow.apply": true, "users.manage": false, "settings.manage": false,
    "rules.operate": true, "rules.manage": false,
  },
  admin: {
    "coverage.read": true, "secrets.read": true, "audit.read": true, "audit.export": true,
    "workflow.plan": true, "workflow.apply": true, "users.manage": true, "settings.manage": true,
    "rules.operate": true, "rules.manage": true,
  },
};

describe("can", () => {
  for (const role of ROLES) {
    for (const permission of PERMISSIONS) {
      it(`${role} ${EXPECTED[role][permission] ? "may" : "may not"} ${permission}`, () => {
        expect(can(user(role), permission)).toBe(EXPECTED[role][permission]);
        expect(can(user(role), permission, { cluster: "any" })).toBe(EXPECTED[role][permission]);
      });
    }
  }

  it("limits cluster-scoped permissions to the user's clusters", () => {
    const limited = user("operator", ["regional"]);
    expect(can(limited, "workflow.apply", { cluster: "regional" })).toBe(true);
    expect(can(limited, "workflow.apply", { cluster: "modern" })).toBe(false);
    expect(can(limited, "coverage.read", { cluster: "modern" })).toBe(false);
    // Without a cluster the data access narrows the list instead.
    expect(can(limited, "coverage.read")).toBe(true);
    expect(can(user("operator", []), "workflow.plan", { cluster: "regional" })).toBe(false);
  });

  it("never gives a cluster-limited admin the installation-wide permissions", () => {
    const limited = user("admin", ["regional"]);
    expect(can(limited, "users.manage")).toBe(false);
    expect(can(limited, "settings.manage")).toBe(false);
    expect(can(limited, "workflow.apply", { cluster: "regional" })).toBe(true);
  });

  it("refuses a role it does not know", () => {
    expect(can({ ...user("viewer"), role: "root" as Role }, "coverage.read")).toBe(false);
  });
});

describe("assertCan", () => {
  it("throws a ForbiddenError naming what was refused", () => {
    expect(() => assertCan(user("viewer"), "workflow.apply")).toThrowError(ForbiddenError);
    try {
      assertCan(user("operator", ["regional"]), "workflow.apply", { cluster: "modern" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ForbiddenError);
      const forbidden = error as ForbiddenError;
      expect(forbidden.kind).toBe("forbidden");
      expect(forbidden.permission).toBe("workflow.apply");
      expect(forbidden.cluster).toBe("modern");
      expect(forbidden.actor).toBe("operator@example.com");
      expect(forbidden.message).toMatch(/cluster modern/);
    }
    expect(() => assertCan(user("viewer"), "workflow.apply")).toThrowError(/viewer role cannot apply workflows/);
  });

  it("returns quietly when allowed", () => {
    expect(() => assertCan(user("admin"), "users.manage")).not.toThrow();
  });
});

describe("visibleClusters and permissionsOf", () => {
  it("narrows a cluster list to the user's limits", () => {
    expect(visibleClusters(user("viewer"), ["a", "b"])).toEqual(["a", "b"]);
    expect(visibleClusters(user("viewer", ["b", "c"]), ["a", "b"])).toEqual(["b"]);
  });

  it("lists what a role can do for the UI", () => {
    expect(permissionsOf(user("viewer"))).toEqual(["coverage.read", "secrets.read", "audit.read"]);
    expect(permissionsOf(user("admin", ["a"]))).not.toContain("users.manage");
  });
});
