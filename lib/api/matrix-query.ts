import type { CountedState } from "@/lib/coverage/types";
import { NAME_LABEL, STATE_BY_CODE, STATE_CODES, VERIFICATION_BY_CODE, type CellVerification, type MatrixDomain, type MatrixPayload, type MatrixRowTuple } from "./matrix";

/**
 * One view of the coverage matrix, as the URL holds it (`?q=&state=&domain=&selector=&findings=1&sort=&dir=&page=&size=`),
 * and the page of rows the server answers it with. The server filters, sorts and pages the cluster's rows
 * (lib/queries/matrix-query.ts); the browser only ever holds one page, so what it downloads does not grow with the
 * namespace count. Pure: safe to import from client components.
 */

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

/** `namespace`, `coverage` (covered cells), `findings`, or a registry column as `@<registry>` (the URL's form too). */
export type SortKey = "namespace" | "coverage" | "findings" | `@${string}`;
export interface MatrixSort {
  key: SortKey;
  direction: "asc" | "desc";
}

export const PAGE_SIZES = [50, 100, 250] as const;

export interface MatrixQuery {
  filter: MatrixFilter;
  sort: MatrixSort;
  /** 1-based; the server clamps it to the pages there are. */
  page: number;
  pageSize: number;
}

export const DEFAULT_QUERY: MatrixQuery = { filter: EMPTY_FILTER, sort: { key: "namespace", direction: "asc" }, page: 1, pageSize: PAGE_SIZES[0] };

export const registrySortKey = (registry: string): SortKey => `@${registry}`;

/** Worst first: the order a registry column sorts in. */
export const STATE_ORDER: readonly CountedState[] = ["rejected", "missing", "legacy_only", "not_attached", "not_needed", "covered"];

/** Every state a filter may ask for, in the order the state menu lists them. */
export const STATE_FILTERS: readonly StateFilter[] = ["any", "not_covered", ...(Object.keys(STATE_CODES) as CountedState[])];

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

function reader(params: Params): (key: string) => string | undefined {
  if (params instanceof URLSearchParams) return (key) => params.get(key) ?? undefined;
  return (key) => {
    const v = params[key];
    return Array.isArray(v) ? v[0] : v;
  };
}

const positive = (raw: string | undefined, fallback: number) => {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 ? n : fallback;
};

/** Reads a view from a query string (a page's search params or a route's URL); anything unknown falls back to the default. */
export function matrixQueryFromParams(params: Params): MatrixQuery {
  const one = reader(params);
  const state = one("state");
  const sort = one("sort");
  const size = positive(one("size"), DEFAULT_QUERY.pageSize);
  return {
    filter: {
      text: one("q") ?? "",
      state: state && (STATE_FILTERS as readonly string[]).includes(state) ? (state as StateFilter) : "any",
      domain: one("domain") || "any",
      selector: one("selector") ?? "",
      findingsOnly: one("findings") === "1",
    },
    sort: {
      key: sort === "coverage" || sort === "findings" || (sort?.startsWith("@") && sort.length > 1) ? (sort as SortKey) : "namespace",
      direction: one("dir") === "desc" ? "desc" : "asc",
    },
    page: positive(one("page"), 1),
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_QUERY.pageSize,
  };
}

/** The query string of a view, defaults left out (so the plain cluster URL is the default view); stable key order. */
export function matrixQueryToSearch(query: MatrixQuery): string {
  const params = new URLSearchParams();
  const { filter, sort } = query;
  if (filter.text) params.set("q", filter.text);
  if (filter.state !== "any") params.set("state", filter.state);
  if (filter.domain !== "any") params.set("domain", filter.domain);
  if (filter.selector) params.set("selector", filter.selector);
  if (filter.findingsOnly) params.set("findings", "1");
  if (sort.key !== "namespace") params.set("sort", sort.key);
  if (sort.direction !== "asc") params.set("dir", sort.direction);
  if (query.page !== 1) params.set("page", String(query.page));
  if (query.pageSize !== DEFAULT_QUERY.pageSize) params.set("size", String(query.pageSize));
  return params.toString();
}

/** Namespaces per state (for the state menu): how many would match each state with the other filters as they are. */
export type StateCounts = Record<StateFilter, number>;

/** One page of the matrix, encoded like the full payload (`MatrixPayload`), with the counts the controls show. */
export interface MatrixPageResponse extends MatrixPayload {
  /** Namespaces in the cluster. */
  total: number;
  /** Namespaces matching the filter. */
  filtered: number;
  /** The page served (the asked one, clamped), of `pageCount`. */
  page: number;
  pageCount: number;
  pageSize: number;
  stateCounts: StateCounts;
  /** Why the label selector was ignored, when it does not parse. */
  selectorError: string | null;
}

/** Every namespace matching a filter (for "Select all filtered"), in name order. */
export interface MatrixNamesResponse {
  cluster: string;
  namespaces: string[];
}

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

export function decodeRow(tuple: MatrixRowTuple, labelPairs: readonly string[]): MatrixRow {
  const [namespace, cells, labelIdx, atRisk, dangling, stale, restart, noSa] = tuple;
  const states: CountedState[] = [];
  const verification: CellVerification[] = [];
  let coveredCount = 0;
  for (let i = 0; i < cells.length; i += 2) {
    const state = STATE_BY_CODE[cells[i]!] ?? "missing";
    if (state === "covered") coveredCount += 1;
    states.push(state);
    verification.push(VERIFICATION_BY_CODE[cells[i + 1]!] ?? "unknown");
  }
  const labels: Record<string, string> = { [NAME_LABEL]: namespace };
  const pairs: string[] = [];
  for (const i of labelIdx) {
    const pair = labelPairs[i];
    if (pair === undefined) continue;
    const eq = pair.indexOf("=");
    labels[pair.slice(0, eq)] = pair.slice(eq + 1);
    pairs.push(pair);
  }
  return { namespace, states, verification, labels, labelText: pairs.join(", "), atRisk, dangling, stale, restart, hasDefaultServiceAccount: noSa === 0, coveredCount };
}

export function decodeMatrix(payload: MatrixPayload): MatrixRow[] {
  return payload.rows.map((tuple) => decodeRow(tuple, payload.labelPairs));
}

/** The column a registry sort key names, or -1. */
export function sortColumn(key: SortKey, domains: readonly MatrixDomain[]): number {
  return key.startsWith("@") ? domains.findIndex((d) => d.registry === key.slice(1)) : -1;
}
