import type { CountedState } from "@/lib/coverage/types";
import type { MatrixDomain, MatrixPayload, MatrixRowTuple } from "@/lib/api/matrix";
import {
  decodeRow,
  DEFAULT_QUERY,
  sortColumn,
  STATE_FILTERS,
  STATE_ORDER,
  type MatrixFilter,
  type MatrixPageResponse,
  type MatrixQuery,
  type MatrixRow,
  type MatrixSort,
  type StateCounts,
  type StateFilter,
} from "@/lib/api/matrix-query";
import { matchesSelector, parseLabelSelector } from "@/lib/labels/selector";

/**
 * The coverage matrix's filters, sorting and paging, on the server: the cluster page and
 * `GET /api/clusters/:cluster/matrix` answer a view (lib/api/matrix-query.ts) with one page of rows and the counts
 * the controls show, so the browser never receives the whole cluster. The index (decoded rows in name order) is
 * built once per scan beside the matrix (views.ts). A view (filter and sort) is one linear pass plus a sort of what
 * matched the first time it is asked, then kept with the index for the next requests (`VIEWS_KEPT` recent views):
 * reloading a page, paging and going back do not walk a 10,000-row cluster again. Pure.
 */

export interface IndexedRow extends MatrixRow {
  tuple: MatrixRowTuple;
  /** Position in name order: the tie-break of every sort, without comparing strings again. */
  order: number;
}

/** A view's rows, filtered and sorted, with what the filter reported. */
export interface MatrixView {
  rows: IndexedRow[];
  selectorError: string | null;
  stateCounts: StateCounts;
}

export interface MatrixIndex {
  payload: MatrixPayload;
  /** Every row, decoded, in name order. */
  rows: IndexedRow[];
  /** Recent views by filter and sort, least recently used first (`viewOf`). */
  views: Map<string, MatrixView>;
}

/** Views kept per index: each holds at most one reference per row (80 KB at 10,000 namespaces). */
export const VIEWS_KEPT = 32;

// One collator for every comparison: `localeCompare` builds one per call, and 10,000 names take ~130,000 comparisons.
const byName = new Intl.Collator().compare;

export function indexMatrix(payload: MatrixPayload): MatrixIndex {
  const rows = payload.rows.map((tuple): IndexedRow => ({ ...decodeRow(tuple, payload.labelPairs), tuple, order: 0 }));
  rows.sort((a, b) => byName(a.namespace, b.namespace));
  rows.forEach((row, i) => (row.order = i));
  return { payload, rows, views: new Map() };
}

/** The rows of a filter and sort, computed once and kept with the index while they are among the recent views. */
export function viewOf(index: MatrixIndex, filter: MatrixFilter, sort: MatrixSort): MatrixView {
  const key = JSON.stringify([filter.text, filter.state, filter.domain, filter.selector, filter.findingsOnly, sort.key, sort.direction]);
  let view = index.views.get(key);
  if (view) {
    // Refresh its place: the Map's order is the eviction order.
    index.views.delete(key);
  } else {
    const matched = filterRows(index.rows, index.payload.domains, filter);
    view = { ...matched, rows: sortRows(matched.rows, sort, index.payload.domains) };
  }
  index.views.set(key, view);
  if (index.views.size > VIEWS_KEPT) index.views.delete(index.views.keys().next().value!);
  return view;
}

export function hasFindings(row: MatrixRow): boolean {
  return row.atRisk + row.dangling + row.stale + row.restart > 0;
}

function stateMatches(state: CountedState, filter: StateFilter): boolean {
  return filter === "any" || (filter === "not_covered" ? state !== "covered" && state !== "not_needed" : state === filter);
}

const zeroCounts = (): StateCounts => Object.fromEntries(STATE_FILTERS.map((s) => [s, 0])) as StateCounts;

/**
 * Rows passing every filter, in the order given. The state filter applies to the chosen registry, or, with "any"
 * registry, holds when some registry is in that state. `stateCounts` counts, for each state the menu offers, the rows
 * that would pass with that state instead (the other filters as they are); a selector that does not parse is ignored
 * and reported.
 */
export function filterRows<R extends MatrixRow>(rows: readonly R[], domains: readonly MatrixDomain[], filter: MatrixFilter): { rows: R[]; selectorError: string | null; stateCounts: StateCounts } {
  const parsed = parseLabelSelector(filter.selector);
  const requirements = parsed.ok ? parsed.requirements : [];
  const text = filter.text.trim().toLowerCase();
  const column = filter.domain === "any" ? -1 : domains.findIndex((d) => d.registry === filter.domain);
  const stateCounts = zeroCounts();
  const out: R[] = [];
  const present = new Set<CountedState>();
  for (const row of rows) {
    if (text && !row.namespace.toLowerCase().includes(text) && !row.labelText.toLowerCase().includes(text)) continue;
    if (filter.findingsOnly && !hasFindings(row)) continue;
    if (requirements.length > 0 && !matchesSelector(requirements, row.labels)) continue;
    present.clear();
    if (column >= 0) {
      const s = row.states[column];
      if (s) present.add(s);
    } else for (const s of row.states) present.add(s);
    stateCounts.any += 1;
    let uncovered = false;
    for (const s of present) {
      stateCounts[s] += 1;
      if (stateMatches(s, "not_covered")) uncovered = true;
    }
    if (uncovered) stateCounts.not_covered += 1;
    const passes = filter.state === "any" || (filter.state === "not_covered" ? uncovered : present.has(filter.state));
    if (passes) out.push(row);
  }
  return { rows: out, selectorError: parsed.ok ? null : parsed.error, stateCounts };
}

const findingsScore = (r: MatrixRow) => r.atRisk * 1000 + r.dangling * 100 + r.stale * 10 + r.restart;

/** Rows (in name order, as `filterRows` keeps them) sorted by `sort`; ties fall back to the name, ascending. */
export function sortRows<R extends IndexedRow>(rows: readonly R[], sort: MatrixSort, domains: readonly MatrixDomain[]): R[] {
  if (sort.key === "namespace") return sort.direction === "asc" ? [...rows] : [...rows].reverse();
  const dir = sort.direction === "asc" ? 1 : -1;
  const key = sort.key;
  const column = sortColumn(key, domains);
  const value = (r: MatrixRow): number => {
    if (key === "coverage") return r.coveredCount;
    if (key === "findings") return findingsScore(r);
    return column >= 0 ? STATE_ORDER.indexOf(r.states[column] ?? "missing") : 0;
  };
  return rows
    .map((row) => ({ row, v: value(row) }))
    .sort((a, b) => (a.v !== b.v ? (a.v - b.v) * dir : a.row.order - b.row.order))
    .map((x) => x.row);
}

export function pageOf<T>(rows: readonly T[], page: number, pageSize: number): { items: T[]; page: number; pageCount: number; from: number; to: number } {
  const pageCount = Math.max(1, Math.ceil(rows.length / pageSize));
  const p = Math.min(Math.max(1, page), pageCount);
  const start = (p - 1) * pageSize;
  const items = rows.slice(start, start + pageSize);
  return { items, page: p, pageCount, from: items.length ? start + 1 : 0, to: start + items.length };
}

/** Re-encodes a page's rows with only the label pairs they use. */
function encodePage(rows: readonly IndexedRow[], labelPairs: readonly string[]): Pick<MatrixPayload, "labelPairs" | "rows"> {
  const remap = new Map<number, number>();
  const pairs: string[] = [];
  const out = rows.map(({ tuple }): MatrixRowTuple => {
    const labels = tuple[2].map((i) => {
      let j = remap.get(i);
      if (j === undefined) {
        j = pairs.length;
        pairs.push(labelPairs[i] ?? "");
        remap.set(i, j);
      }
      return j;
    });
    return [tuple[0], tuple[1], labels, tuple[3], tuple[4], tuple[5], tuple[6], tuple[7]];
  });
  return { labelPairs: pairs, rows: out };
}

/** One page of the view: the rows it shows and the counts the controls need, nothing else of the cluster. */
export function queryMatrix(index: MatrixIndex, query: MatrixQuery): MatrixPageResponse {
  const { payload } = index;
  const { rows, selectorError, stateCounts } = viewOf(index, query.filter, query.sort);
  const view = pageOf(rows, query.page, query.pageSize);
  return {
    cluster: payload.cluster,
    scannedAt: payload.scannedAt,
    domains: payload.domains,
    ...encodePage(view.items, payload.labelPairs),
    total: index.rows.length,
    filtered: rows.length,
    page: view.page,
    pageCount: view.pageCount,
    pageSize: query.pageSize,
    stateCounts,
    selectorError,
  };
}

/** Every namespace the filter matches, in name order (for "Select all filtered"). */
export function matchingNamespaces(index: MatrixIndex, filter: MatrixFilter): string[] {
  return viewOf(index, filter, DEFAULT_QUERY.sort).rows.map((r) => r.namespace);
}
