import { describe, expect, it } from "vitest";
import type { ClusterLabelling } from "@/lib/clusters/labels";
import { clustersMatching } from "./cluster-selector-field";

const clusters: ClusterLabelling[] = [
  { name: "regional", displayName: "Regional (prod)", labels: { env: "prod", region: "eu-de" } },
  { name: "legacy", displayName: "legacy", labels: { env: "dev" } },
  { name: "modern", displayName: "modern", labels: {} },
];

describe("the rule form's live count of clusters a selector matches", () => {
  it("counts the clusters whose labels match now", () => {
    expect(clustersMatching("env=prod", clusters)).toEqual({ ok: true, matching: [clusters[0]] });
    expect(clustersMatching("env", clusters)).toMatchObject({ ok: true, matching: [{ name: "regional" }, { name: "legacy" }] });
    expect(clustersMatching("!env", clusters)).toMatchObject({ ok: true, matching: [{ name: "modern" }] });
  });

  it("says what is wrong with a selector that does not parse, and asks for one when empty", () => {
    expect(clustersMatching("env in (prod", clusters)).toMatchObject({ ok: false, error: expect.stringMatching(/not a requirement/) });
    expect(clustersMatching("  ", clusters)).toMatchObject({ ok: false, error: expect.stringMatching(/Type a label selector/) });
  });
});
