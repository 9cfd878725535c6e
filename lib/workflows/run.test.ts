import { describe, expect, it } from "vitest";
import { parseWorkflowInput } from "./run";

describe("parseWorkflowInput", () => {
  it("puts errors on list items under the list's field, naming the item", () => {
    const result = parseWorkflowInput("attach_pull_secrets", { cluster: "c", namespaces: ["ok", "Bad_NS"], secrets: [] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors.namespaces).toEqual([expect.stringMatching(/^"Bad_NS": lower-case letters/)]);
    expect(result.fieldErrors.secrets).toEqual(["choose at least one secret"]);
  });

  it("keys nested fields by their path", () => {
    const result = parseWorkflowInput("copy_pull_secrets", { cluster: "c", secrets: ["a"], targets: { mode: "selector", labelSelector: "env in prod" } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.fieldErrors)).toEqual(["targets.labelSelector"]);
  });

  it("fills defaults on valid input", () => {
    const result = parseWorkflowInput("attach_pull_secrets", { cluster: "c", namespaces: ["a"], secrets: ["s"] });
    expect(result).toMatchObject({ ok: true, input: { serviceAccount: "default", restartPods: false } });
  });
});
