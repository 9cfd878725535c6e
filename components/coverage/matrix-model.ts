import { parseLabelSelector } from "@/lib/labels/selector";
import type { MatrixFilter } from "@/lib/api/matrix-query";

/**
 * The matrix's view-model in the browser. Filtering, sorting and paging happen on the server
 * (lib/queries/matrix-query.ts); the browser decodes the page it receives and builds the bulk links.
 */
export { decodeMatrix, EMPTY_FILTER, type MatrixFilter, type MatrixRow, type MatrixSort, type SortKey, type StateFilter } from "@/lib/api/matrix-query";

/** Longest query string sent as an explicit namespace list; beyond it a selector link is used (URLs over ~8 KB are refused by some proxies). */
export const MAX_NAMESPACE_LIST_CHARS = 6000;

export type BulkVerb = "copy" | "attach";

/**
 * The link to the lead's workflow page for the selected namespaces:
 * `?namespaces=a,b,c` when the list is short enough; for a large selection that
 * is exactly the current filter, `?selector=<labelSelector>` (and `&uncovered=1`
 * when the filter is "not covered" in any registry). Otherwise null with the reason.
 */
export function bulkHref(
  cluster: string,
  verb: BulkVerb,
  selected: readonly string[],
  context: { filter: MatrixFilter; allFilteredSelected: boolean },
): { href: string; reason: null } | { href: null; reason: string } {
  const base = `/clusters/${encodeURIComponent(cluster)}/workflows/${verb}`;
  if (selected.length === 0) return { href: null, reason: "Select namespaces first." };
  const list = [...selected].sort().join(",");
  if (list.length <= MAX_NAMESPACE_LIST_CHARS) return { href: `${base}?${new URLSearchParams({ namespaces: list }).toString()}`, reason: null };
  const f = context.filter;
  const expressible =
    context.allFilteredSelected &&
    f.text.trim() === "" &&
    !f.findingsOnly &&
    f.domain === "any" &&
    (f.state === "any" || f.state === "not_covered") &&
    parseLabelSelector(f.selector).ok &&
    (f.selector.trim() !== "" || f.state === "not_covered");
  if (!expressible) {
    return { href: null, reason: `${selected.length} namespaces are too many for one link. Select them with a label selector (and optionally "not covered"), then "Select all".` };
  }
  const params = new URLSearchParams();
  if (f.selector.trim()) params.set("selector", f.selector.trim());
  if (f.state === "not_covered") params.set("uncovered", "1");
  return { href: `${base}?${params.toString()}`, reason: null };
}
