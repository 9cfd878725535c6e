import { describe, expect, it } from "vitest";
import { describeClusterScope, ruleAppliesToCluster, ruleSpecSchema, type RuleSpec } from "./spec";

const base = { namespaces: { match: { mode: "all" } }, registries: ["us.icr.io"], source: { secrets: ["all-icr-io"] }, serviceAccounts: { mode: "default" } };
const parse = (clusters: unknown) => ruleSpecSchema.safeParse({ ...base, clusters });
const specWith = (clusters: unknown): RuleSpec => ruleSpecSchema.parse({ ...base, clusters });
const messages = (clusters: unknown) => {
  const result = parse(clusters);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
};

describe("a rule's cluster scope", () => {
  it("still reads rules stored before label selectors existed", () => {
    const stored = JSON.parse('{"clusters":{"mode":"list","names":["regional"]},"namespaces":{"match":{"mode":"all"}},"registries":["us.icr.io"],"source":{"secrets":["all-icr-io"]},"serviceAccounts":{"mode":"default"}}');
    expect(ruleSpecSchema.parse(stored).clusters).toEqual({ mode: "list", names: ["regional"] });
    expect(specWith({ mode: "all" }).clusters).toEqual({ mode: "all" });
  });

  it("takes a Kubernetes label selector, trimmed", () => {
    expect(specWith({ mode: "labels", labelSelector: "  env=prod, region in (eu-de,eu-gb) " }).clusters).toEqual({ mode: "labels", labelSelector: "env=prod, region in (eu-de,eu-gb)" });
  });

  it("refuses a bad selector with what is wrong, on the selector", () => {
    expect(messages({ mode: "labels", labelSelector: "" })).toEqual(["clusters.labelSelector: a label selector is required"]);
    expect(messages({ mode: "labels", labelSelector: "env in (prod" })[0]).toMatch(/^clusters\.labelSelector: "env in \(prod" is not a requirement/);
    expect(messages({ mode: "labels", labelSelector: "env=prod," })).toEqual(["clusters.labelSelector: An empty requirement: remove the extra comma."]);
    expect(messages({ mode: "labels", labelSelector: `tier=${"x".repeat(64)}` })[0]).toMatch(/^clusters\.labelSelector: .*63/);
    expect(messages({ mode: "labels" })).toHaveLength(1);
  });

  it("applies by name, to every cluster, or by the cluster's labels now", () => {
    const prod = { name: "regional", labels: { env: "prod", region: "eu-de" } };
    const unlabelled = { name: "legacy", labels: {} };
    expect(ruleAppliesToCluster(specWith({ mode: "all" }), unlabelled)).toBe(true);
    expect(ruleAppliesToCluster(specWith({ mode: "list", names: ["regional"] }), prod)).toBe(true);
    expect(ruleAppliesToCluster(specWith({ mode: "list", names: ["regional"] }), unlabelled)).toBe(false);
    const selector = specWith({ mode: "labels", labelSelector: "env=prod,region notin (us-south)" });
    expect(ruleAppliesToCluster(selector, prod)).toBe(true);
    expect(ruleAppliesToCluster(selector, unlabelled)).toBe(false);
    expect(ruleAppliesToCluster(selector, { name: "regional", labels: { env: "dev", region: "eu-de" } })).toBe(false);
    expect(ruleAppliesToCluster(specWith({ mode: "labels", labelSelector: "!env" }), unlabelled)).toBe(true);
  });

  it("matches no cluster when a stored selector no longer parses, rather than every cluster", () => {
    const broken = { ...specWith({ mode: "all" }), clusters: { mode: "labels" as const, labelSelector: "env in (" } };
    expect(ruleAppliesToCluster(broken, { name: "regional", labels: { env: "prod" } })).toBe(false);
  });

  it("is said in words", () => {
    expect(describeClusterScope({ mode: "all" })).toBe("all clusters");
    expect(describeClusterScope({ mode: "list", names: ["a", "b"] })).toBe("a, b");
    expect(describeClusterScope({ mode: "labels", labelSelector: "env=prod" })).toBe("clusters labelled env=prod");
  });
});
