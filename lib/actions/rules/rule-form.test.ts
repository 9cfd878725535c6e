import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fieldsOfRule, formFieldOf, ruleDraftSchema, updateSchema } from "./rule-form";

const typed = {
  name: "icr-everywhere",
  description: "",
  mode: "enforce",
  clusterMode: "list",
  clusters: ["regional"],
  namespaceMode: "labels",
  labelSelector: "team=web",
  include: "web-a, web-b\nweb-c",
  exclude: "",
  includeSystem: "on",
  registries: "icr.io\nus.icr.io",
  sourceNamespace: "default",
  sourceSecrets: "default-icr-io",
  naming: "seed",
  serviceAccountMode: "default",
  serviceAccounts: "",
  restartWorkloads: false,
};

function fieldErrors(result: z.ZodSafeParseResult<unknown>): Record<string, unknown> {
  expect(result.success).toBe(false);
  return z.flattenError((result as { error: z.ZodError }).error).fieldErrors;
}

describe("the rule form", () => {
  it("turns the typed controls into a validated draft: lists split on commas and lines, ticks as booleans", () => {
    const result = ruleDraftSchema.parse(typed);
    expect(result).toMatchObject({ name: "icr-everywhere", mode: "enforce" });
    expect(result.spec).toMatchObject({
      clusters: { mode: "list", names: ["regional"] },
      namespaces: { match: { mode: "labels", labelSelector: "team=web" }, include: ["web-a", "web-b", "web-c"], exclude: [], includeSystem: true },
      registries: ["icr.io", "us.icr.io"],
      source: { namespace: "default", secrets: ["default-icr-io"] },
      serviceAccounts: { mode: "default" },
      restartWorkloads: false,
    });
  });

  it("names the control to fix when the spec refuses a value", () => {
    expect(fieldErrors(ruleDraftSchema.safeParse({ ...typed, registries: "" }))).toHaveProperty("registries");
    expect(fieldErrors(ruleDraftSchema.safeParse({ ...typed, clusters: [] }))).toHaveProperty("clusters");
    expect(fieldErrors(ruleDraftSchema.safeParse({ ...typed, labelSelector: "" }))).toHaveProperty("labelSelector");
    expect(fieldErrors(ruleDraftSchema.safeParse({ ...typed, sourceSecrets: " " }))).toHaveProperty("sourceSecrets");
    expect(fieldErrors(ruleDraftSchema.safeParse({ ...typed, exclude: "web-a" }))).toHaveProperty("exclude");
    expect(fieldErrors(ruleDraftSchema.safeParse({ ...typed, serviceAccountMode: "list" }))).toHaveProperty("serviceAccounts");
    expect(fieldErrors(ruleDraftSchema.safeParse({ ...typed, name: "Not A Label" }))).toHaveProperty("name");
  });

  it("maps spec paths onto the flat controls", () => {
    expect(formFieldOf(["namespaces", "match", "labelSelector"])).toBe("labelSelector");
    expect(formFieldOf(["source", "namespace"])).toBe("sourceNamespace");
    expect(formFieldOf(["source", "secrets", 0])).toBe("sourceSecrets");
    expect(formFieldOf(["serviceAccounts", "names"])).toBe("serviceAccounts");
    expect(formFieldOf(["registries", 2])).toBe("registries");
    expect(formFieldOf(["clusters", "labelSelector"])).toBe("clusterSelector");
    expect(formFieldOf(["clusters", "names"])).toBe("clusters");
  });

  it("needs the version edited for an update", () => {
    expect(fieldErrors(updateSchema.safeParse({ ...typed, ruleId: "r1" }))).toHaveProperty("expectedVersion");
    expect(updateSchema.parse({ ...typed, ruleId: "r1", expectedVersion: "3" })).toMatchObject({ ruleId: "r1", expectedVersion: 3 });
  });

  it("gives a stored rule back as the values the form started from", () => {
    const draft = ruleDraftSchema.parse(typed);
    const values = fieldsOfRule(draft);
    expect(values).toMatchObject({ clusterMode: "list", clusters: ["regional"], include: "web-a\nweb-b\nweb-c", registries: "icr.io\nus.icr.io", includeSystem: true });
    expect(ruleDraftSchema.parse(values)).toEqual(draft);
  });

  it("chooses clusters by label selector, refusing a bad one on the selector's control, and gives it back", () => {
    const labelled = ruleDraftSchema.parse({ ...typed, clusterMode: "labels", clusterSelector: " env=prod " });
    expect(labelled.spec.clusters).toEqual({ mode: "labels", labelSelector: "env=prod" });
    expect(fieldsOfRule(labelled)).toMatchObject({ clusterMode: "labels", clusterSelector: "env=prod", clusters: [] });
    expect(ruleDraftSchema.parse(fieldsOfRule(labelled))).toEqual(labelled);
    expect(fieldErrors(ruleDraftSchema.safeParse({ ...typed, clusterMode: "labels", clusterSelector: "" }))).toEqual({ clusterSelector: ["a label selector is required"] });
    const bad = fieldErrors(ruleDraftSchema.safeParse({ ...typed, clusterMode: "labels", clusterSelector: "env in (prod" })) as { clusterSelector?: string[] };
    expect(bad.clusterSelector?.[0]).toMatch(/is not a requirement/);
  });
});
