import { describe, expect, it } from "vitest";
import type { PullSecretInventory } from "@/lib/kube/port";
import { ruleRequirements } from "./requirements";
import { ruleSpecSchema, type KeepingRule } from "./spec";

const inventory: PullSecretInventory = {
  cluster: "regional", readAt: "", scope: "cluster", unreadableNamespaces: [], pullSecrets: [], serviceAccounts: [], workloads: [], notes: [], requestCount: 0,
  namespaces: ["default", "team-a", "team-b", "kube-system"].map((name) => ({ cluster: "regional", name, labels: (name === "team-a" ? { pull: "icr" } : {}) as Record<string, string>, phase: "Active", createdAt: null })),
};

function rule(id: string, over: { paused?: boolean; clusters?: string[]; clusterSelector?: string; selector?: string; registries: string[] }): KeepingRule {
  const spec = ruleSpecSchema.parse({
    clusters: over.clusterSelector ? { mode: "labels", labelSelector: over.clusterSelector } : over.clusters ? { mode: "list", names: over.clusters } : { mode: "all" },
    namespaces: { match: over.selector ? { mode: "labels", labelSelector: over.selector } : { mode: "all" } },
    registries: over.registries, source: { secrets: ["all-icr-io"] }, serviceAccounts: { mode: "default" },
  });
  return { id, name: id, description: "", mode: "report", paused: over.paused ?? false, spec, version: 1, createdBy: "", createdAt: "", updatedBy: "", updatedAt: "" };
}

describe("ruleRequirements", () => {
  it("makes each active rule's registries needed in the namespaces it matches on this cluster", () => {
    const required = ruleRequirements([
      rule("everywhere", { registries: ["us.icr.io"] }),
      rule("labelled", { selector: "pull=icr", registries: ["de.icr.io"] }),
      rule("paused", { paused: true, registries: ["jp.icr.io"] }),
      rule("elsewhere", { clusters: ["large"], registries: ["uk.icr.io"] }),
    ], inventory, {});
    expect(Object.fromEntries([...required].map(([ns, set]) => [ns, [...set].sort()]))).toEqual({
      default: ["us.icr.io"], "team-a": ["de.icr.io", "us.icr.io"], "team-b": ["us.icr.io"],
    });
  });

  it("counts a rule choosing clusters by label only where the cluster's labels match", () => {
    const rules = [rule("prod", { clusterSelector: "env=prod", registries: ["de.icr.io"] })];
    expect([...ruleRequirements(rules, inventory, { env: "prod" }).keys()].sort()).toEqual(["default", "team-a", "team-b"]);
    expect(ruleRequirements(rules, inventory, { env: "dev" }).size).toBe(0);
    expect(ruleRequirements(rules, inventory, {}).size).toBe(0);
  });
});
