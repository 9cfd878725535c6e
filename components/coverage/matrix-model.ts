import type { CountedState } from "@/lib/coverage/types";
import { NAME_LABEL, STATE_BY_CODE, VERIFICATION_BY_CODE, type CellVerification, type MatrixDomain, type MatrixPayload } from "@/lib/api/matrix";
import { matchesSelector, parseLabelSelector } from "@/lib/labels/selector";
import { STATE_DISPLAY, STATE_ORDER } from "./states";

/** Pure view-model of the coverage matrix: decoding, filters, sorting, paging, selection links. */

export interface MatrixRow {
  namespace: string;
  /** Counted states: a missing registry the namespace does not need is `not_needed`. */
  states: CountedState[];
  verification: CellVerification[];
  labels: Record<string, string>;
  /** `k=v` pairs joined, for display and text search. */
  labelText: string;
  atRisk: number;
  dangling: number;
  stale: number;
  restart: number;
  hasDefaultServiceAccount: boolean;
  coveredCount: number;
}

export function decodeMatrix(payload: MatrixPayload): MatrixRow[] {
  return payload.rows.map(([namespace, cells, labelIdx, atRisk, dangling, stale, restart, noSa]) => {
    const states: CountedState[] = [];
    const verification: CellVerification[] = [];
    for (let i = 0; i < cells.length; i += 2) {
      states.push(STATE_BY_CODE[cells[i]!] ?? "missing");
      verification.push(VERIFICATION_BY_CODE[cells[i + 1]!] ?? "unknown");
    }
    const labels: Record<string, string> = { [NAME_LABEL]: namespace };
    const pairs: string[] = [];
    for (const i of labelIdx) {
      const pair = payload.labelPairs[i];
      if (pair === undefined) continue;
      const eq = pair.indexOf("=");
      labels[pair.slice(0, eq)] = pair.slice(eq + 1);
      pairs.push(pair);
    }
    return {
      namespace,
      states,
      verification,
      labels,
      labelText: pairs.join(", "),
      atRisk,
      dangling,
      stale,
      restart,
      hasDefaultServiceAccount: noSa === 0,
      coveredCount: states.filter((s) => s === "covered").length,
    };
  });
}

/** `not_covered`: any state but covered and not needed (a registry nobody needs is not a gap). */
export type StateFilter = CountedState | "any" | "not_covered";

export interface MatrixFilter {
  text: string;
  state: StateFilter;
  /** A registry, or "any" for every registry column. */
  domain: string;
  selector: string;
  /** Only namespaces with workloads at risk, dangling references, stale copies or restarts pending. */
  findingsOnly: boolean;
}

export const EMPTY_FILTER: MatrixFilter = { text: "", state: "any", domain: "any", selector: "", findingsOnly: false };

export function hasFindings(row: MatrixRow): boolean {
  return row.atRisk + row.dangling + row.stale + row.restart > 0;
}

function stateMatches(state: CountedState, filter: StateFilter): boolean {
  return filter === "any" || (filter === "not_covered" ? state !== "covered" && state !== "not_needed" : state === filter);
}

/**
 * Rows passing every filter. The state filter applies to the chosen registry,
 * or, with "any" registry, holds when some registry is in that state.
 */
export function filterRows(rows: readonly MatrixRow[], domains: readonly MatrixDomain[], filter: MatrixFilter): { rows: MatrixRow[]; selectorError: string | null } {
  const parsed = parseLabelSelector(filter.selector);
  const requirements = parsed.ok ? parsed.requirements : [];
  const text = filter.text.trim().toLowerCase();
  const column = filter.domain === "any" ? -1 : domains.findIndex((d) => d.registry === filter.domain);
  const out = rows.filter((row) => {
    if (text && !row.namespace.toLowerCase().includes(text) && !row.labelText.toLowerCase().includes(text)) return false;
    if (filter.findingsOnly && !hasFindings(row)) return false;
    if (filter.state !== "any") {
      if (column >= 0) {
        const s = row.states[column];
        if (!s || !stateMatches(s, filter.state)) return false;
      } else if (!row.states.some((s) => stateMatches(s, filter.state))) return false;
    }
    return requirements.length === 0 || matchesSelector(requirements, row.labels);
  });
  return { rows: out, selectorError: parsed.ok ? null : parsed.error };
}

/** `namespace`, `coverage` (covered cells), `findings`, or a registry column index. */
export type SortKey = "namespace" | "coverage" | "findings" | number;
export interface MatrixSort {
  key: SortKey;
  direction: "asc" | "desc";
}

const findingsScore = (r: MatrixRow) => r.atRisk * 1000 + r.dangling * 100 + r.stale * 10 + r.restart;

/** A stable sort; ties fall back to the namespace name. */
export function sortRows(rows: readonly MatrixRow[], sort: MatrixSort): MatrixRow[] {
  const dir = sort.direction === "asc" ? 1 : -1;
  const key = sort.key;
  const value = (r: MatrixRow): number | string => {
    if (key === "namespace") return r.namespace;
    if (key === "coverage") return r.coveredCount;
    if (key === "findings") return findingsScore(r);
    return STATE_ORDER.indexOf(r.states[key] ?? "missing");
  };
  return [...rows].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    const c = typeof va === "string" ? va.localeCompare(vb as string) : va - (vb as number);
    return c !== 0 ? c * dir : a.namespace.localeCompare(b.namespace);
  });
}

export function pageOf<T>(rows: readonly T[], page: number, pageSize: number): { items: T[]; page: number; pageCount: number; from: number; to: number } {
  const pageCount = Math.max(1, Math.ceil(rows.length / pageSize));
  const p = Math.min(Math.max(1, page), pageCount);
  const start = (p - 1) * pageSize;
  const items = rows.slice(start, start + pageSize);
  return { items, page: p, pageCount, from: items.length ? start + 1 : 0, to: start + items.length };
}

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

/** Reads the filter from the page's query string (`?q=&state=&domain=&selector=&findings=1`), so a filtered view can be linked. */
export function filterFromParams(params: Record<string, string | string[] | undefined>): MatrixFilter {
  const one = (k: string) => {
    const v = params[k];
    return Array.isArray(v) ? v[0] : v;
  };
  const state = one("state");
  return {
    text: one("q") ?? "",
    state: state && ["any", "not_covered", ...Object.keys(STATE_DISPLAY)].includes(state) ? (state as MatrixFilter["state"]) : "any",
    domain: one("domain") ?? "any",
    selector: one("selector") ?? "",
    findingsOnly: one("findings") === "1",
  };
}

