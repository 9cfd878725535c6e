import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadYaml } from "@kubernetes/client-node";
import { PULLKEEPER_READ_ONLY_RULES, PULLKEEPER_RULES, grantedPermissions } from "./pullkeeper-rbac";

const deployFile = (p: string) => fs.readFileSync(path.join(import.meta.dirname, "../../deploy", p), "utf8");

describe("Pullkeeper's RBAC rules", () => {
  it("are the deployment's ClusterRole, rule for rule", () => {
    const role = loadYaml<{ rules: unknown[] }>(deployFile("base/clusterrole.yaml"));
    expect(role.rules).toEqual(PULLKEEPER_RULES);
  });

  it("read-only: are the read-only component's rules", () => {
    const component = loadYaml<{ patches: { patch: string }[] }>(deployFile("components/read-only/kustomization.yaml"));
    const ops = loadYaml<{ op: string; path: string; value: unknown }[]>(component.patches[0]!.patch);
    expect(ops).toEqual([{ op: "replace", path: "/rules", value: PULLKEEPER_READ_ONLY_RULES }]);
  });

  it("name no wildcard and the read-only rules no write", () => {
    for (const p of [...grantedPermissions(PULLKEEPER_RULES), ...grantedPermissions(PULLKEEPER_READ_ONLY_RULES)]) {
      expect([p.group, p.resource, p.verb]).not.toContain("*");
    }
    expect(grantedPermissions(PULLKEEPER_READ_ONLY_RULES).map((p) => p.verb).every((v) => ["get", "list", "watch"].includes(v))).toBe(true);
  });
});
