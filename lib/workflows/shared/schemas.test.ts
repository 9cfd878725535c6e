import { describe, expect, it } from "vitest";
import { matchesSelector, parseLabelSelector } from "@/lib/labels/selector";
import { labelSelectorSchema, namespaceNameSchema, registryHostSchema } from "./schemas";

describe("label selectors", () => {
  const labels = { team: "payments", env: "prod", "app.kubernetes.io/part-of": "shop" };
  it.each([
    ["team=payments", true],
    ["team==payments,env=prod", true],
    ["team!=payments", false],
    ["env in (prod, staging)", true],
    ["env notin (prod)", false],
    ["app.kubernetes.io/part-of", true],
    ["!legacy", true],
    ["!team", false],
    ["team=payments,env in (dev)", false],
  ])("%s → %s", (selector, expected) => {
    const parsed = parseLabelSelector(selector);
    expect(parsed.ok && matchesSelector(parsed.requirements, labels)).toBe(expected);
  });

  it("rejects malformed selectors, in the workflow input too", () => {
    expect(parseLabelSelector("env in prod").ok).toBe(false);
    expect(parseLabelSelector("=x").ok).toBe(false);
    expect(labelSelectorSchema.safeParse("env in prod").success).toBe(false);
    expect(labelSelectorSchema.safeParse("team=payments,env in (prod)").success).toBe(true);
  });
});

describe("names and hosts", () => {
  it("validates namespace names as the API server does", () => {
    expect(namespaceNameSchema.safeParse("team-a").success).toBe(true);
    expect(namespaceNameSchema.safeParse("Team_A").success).toBe(false);
    expect(namespaceNameSchema.safeParse("-a").success).toBe(false);
  });

  it("normalises registry hosts and rejects URLs with paths", () => {
    expect(registryHostSchema.parse("https://Registry.Example.com/")).toBe("registry.example.com");
    expect(registryHostSchema.parse("registry.example.com:5000")).toBe("registry.example.com:5000");
    expect(registryHostSchema.safeParse("registry.example.com/v2/x").success).toBe(false);
  });
});
