import type { FindingGroup, FindingGroupKind } from "@/lib/api/finding-groups";
import type { CoverageFinding } from "@/lib/coverage/types";

/**
 * The cluster page's findings banners, grouped once per scan (views.ts): each group's count and its first few
 * findings. The page ships a fixed number of items whatever the cluster's size; the matrix's "With findings only"
 * filter and the namespace pages show the rest. Pure.
 */

/** The banners' order. Orphaned copies are counted with stale ones. */
export const FINDING_GROUP_KINDS: readonly FindingGroupKind[] = ["pull_failure", "image_pull_at_risk", "stale_copy", "dangling_reference", "restart_needed"];

/** Findings listed per banner: enough to see what kind of trouble it is, few enough that the page does not grow with the cluster. */
export const FINDINGS_SHOWN = 20;

const groupOf = (f: CoverageFinding): FindingGroupKind | null => (f.type === "orphaned_copy" ? "stale_copy" : (FINDING_GROUP_KINDS as readonly string[]).includes(f.type) ? (f.type as FindingGroupKind) : null);

/** Groups that have findings, in banner order; one pass over the findings. */
export function groupFindings(findings: readonly CoverageFinding[], shown = FINDINGS_SHOWN): FindingGroup[] {
  const groups = new Map<FindingGroupKind, FindingGroup>(FINDING_GROUP_KINDS.map((kind) => [kind, { kind, count: 0, shown: [] }]));
  for (const f of findings) {
    const kind = groupOf(f);
    if (!kind) continue;
    const group = groups.get(kind)!;
    group.count += 1;
    if (group.shown.length < shown) group.shown.push(f);
  }
  return [...groups.values()].filter((g) => g.count > 0);
}
