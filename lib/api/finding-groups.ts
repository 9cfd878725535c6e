import type { CoverageFinding } from "@/lib/coverage/types";

/** The cluster page's findings banners (built once per scan by lib/queries/finding-groups.ts). Types only. */

export type FindingGroupKind = "pull_failure" | "image_pull_at_risk" | "stale_copy" | "dangling_reference" | "restart_needed";

export interface FindingGroup {
  kind: FindingGroupKind;
  count: number;
  /** The group's first findings (at most lib/queries' `FINDINGS_SHOWN`), in the scan's order. */
  shown: CoverageFinding[];
}
