import { describe, expect, it } from "vitest";
import { matchesLabelSelector, namespaceNameSchema, parseLabelSelector, registryHostSchema } from "./schemas";

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
    expect(matchesLabelSelector(labels, parseLabelSelector(selector))).toBe(expected);
  });

  it("rejects malformed selectors", () => {
    expect(() => parseLabelSelector("env in prod")).toThrow();
    expect(() => parseLabelSelector("=x")).toThrow();
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
