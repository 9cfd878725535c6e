import { describe, expect, it } from "vitest";
import { PlanBuilder } from "./plan-builder";
import { PreviewedPlans } from "./previewed-plans";

const plan = new PlanBuilder().build({ kind: "attach_pull_secrets", cluster: "c", input: {}, readAt: "now" });
const witness = { keys: [], states: [] };

describe("PreviewedPlans", () => {
  it("finds a plan only with the same kind, input and digest", () => {
    const previews = new PreviewedPlans();
    previews.remember("attach_pull_secrets", { namespaces: ["a"] }, plan, witness);
    expect(previews.find("attach_pull_secrets", { namespaces: ["a"] }, plan.digest)?.plan).toBe(plan);
    expect(previews.find("attach_pull_secrets", { namespaces: ["b"] }, plan.digest)).toBeUndefined();
    expect(previews.find("copy_pull_secrets", { namespaces: ["a"] }, plan.digest)).toBeUndefined();
    expect(previews.find("attach_pull_secrets", { namespaces: ["a"] }, "0000000000000000")).toBeUndefined();
  });

  it("forgets plans older than its time to live, and the oldest beyond its size", () => {
    let now = 0;
    const previews = new PreviewedPlans({ ttlMs: 1000, maxEntries: 2 }, () => now);
    previews.remember("k", 1, plan, witness);
    now = 1001;
    expect(previews.find("k", 1, plan.digest)).toBeUndefined();
    previews.remember("k", 2, plan, witness);
    previews.remember("k", 3, plan, witness);
    previews.remember("k", 4, plan, witness);
    expect(previews.find("k", 2, plan.digest)).toBeUndefined();
    expect(previews.find("k", 4, plan.digest)).toBeDefined();
  });
});
