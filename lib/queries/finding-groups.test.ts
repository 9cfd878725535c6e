import { describe, expect, it } from "vitest";
import type { CoverageFinding } from "@/lib/coverage/types";
import { FINDINGS_SHOWN, groupFindings } from "./finding-groups";

const workload = { kind: "Deployment", name: "web" };
const atRisk = (namespace: string): CoverageFinding =>
  ({ type: "image_pull_at_risk", cluster: "c", namespace, workload, serviceAccount: "default", ownPullSecrets: false, images: [] }) as unknown as CoverageFinding;
const other = (type: string, namespace: string): CoverageFinding => ({ type, cluster: "c", namespace }) as unknown as CoverageFinding;

describe("groupFindings", () => {
  it("counts every finding per banner, in banner order, and keeps only the first few of each", () => {
    const findings = [
      other("restart_needed", "r"),
      ...Array.from({ length: FINDINGS_SHOWN + 7 }, (_, i) => atRisk(`ns-${i}`)),
      other("stale_copy", "s1"),
      other("orphaned_copy", "s2"),
    ];
    const groups = groupFindings(findings);
    expect(groups.map((g) => [g.kind, g.count])).toEqual([
      ["image_pull_at_risk", FINDINGS_SHOWN + 7],
      ["stale_copy", 2],
      ["restart_needed", 1],
    ]);
    expect(groups[0]!.shown).toHaveLength(FINDINGS_SHOWN);
    expect(groups[0]!.shown[0]!.namespace).toBe("ns-0");
    expect(groups[1]!.shown.map((f) => f.namespace)).toEqual(["s1", "s2"]);
  });
  it("has no group without findings", () => {
    expect(groupFindings([])).toEqual([]);
    expect(groupFindings([atRisk("a"), atRisk("b")], 1)[0]).toMatchObject({ count: 2, shown: [{ namespace: "a" }] });
  });
});
