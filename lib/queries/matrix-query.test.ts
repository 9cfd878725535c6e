import { describe, expect, it } from "vitest";
import { SAMPLE_MATRIX as payload } from "@/lib/api/matrix-test-payload";
import { decodeMatrix, DEFAULT_QUERY, EMPTY_FILTER, type MatrixFilter, type MatrixQuery } from "@/lib/api/matrix-query";
import { filterRows, indexMatrix, matchingNamespaces, pageOf, queryMatrix, sortRows, viewOf, VIEWS_KEPT } from "./matrix-query";

const index = indexMatrix(payload);
const names = (r: readonly { namespace: string }[]) => r.map((x) => x.namespace);
const f = (over: Partial<MatrixFilter>): MatrixFilter => ({ ...EMPTY_FILTER, ...over });
const q = (over: Partial<MatrixQuery>): MatrixQuery => ({ ...DEFAULT_QUERY, ...over });

describe("indexMatrix", () => {
  it("decodes every row once and keeps them in name order", () => {
    expect(names(index.rows)).toEqual(["data", "sandbox", "web-dev", "web-prod"]);
    expect(index.rows.map((r) => r.order)).toEqual([0, 1, 2, 3]);
    expect(index.rows[3]).toMatchObject({ namespace: "web-prod", states: ["covered", "covered", "missing"], labels: { team: "web", env: "prod" }, coveredCount: 2 });
  });
});

describe("filterRows", () => {
  const filter = (over: Partial<MatrixFilter>) => filterRows(index.rows, payload.domains, f(over));
  it("filters by text over names and labels", () => {
    expect(names(filter({ text: "WEB" }).rows)).toEqual(["web-dev", "web-prod"]);
    expect(names(filter({ text: "team=data" }).rows)).toEqual(["data"]);
  });
  it("applies a state to one registry, or to any registry", () => {
    expect(names(filter({ state: "covered", domain: "de.icr.io" }).rows)).toEqual(["web-prod"]);
    expect(names(filter({ state: "not_attached" }).rows)).toEqual(["web-dev"]);
    expect(names(filter({ state: "not_covered", domain: "us.icr.io" }).rows)).toEqual(["data", "sandbox", "web-dev"]);
    expect(names(filter({ state: "legacy_only" }).rows)).toEqual(["data"]);
  });
  it("restores the kubernetes.io/metadata.name label the payload leaves out", () => {
    expect(names(filter({ selector: "kubernetes.io/metadata.name in (data,sandbox)" }).rows)).toEqual(["data", "sandbox"]);
  });
  it("filters by label selector and reports a bad one without dropping every row", () => {
    expect(names(filter({ selector: "env=prod" }).rows)).toEqual(["data", "web-prod"]);
    expect(names(filter({ selector: "team in (web),env!=prod" }).rows)).toEqual(["web-dev"]);
    const bad = filter({ selector: "env=" + "x y" });
    expect(bad.selectorError).toBeTruthy();
    expect(bad.rows).toHaveLength(4);
  });
  it("keeps only namespaces with findings when asked", () => {
    expect(names(filter({ findingsOnly: true }).rows)).toEqual(["data", "web-dev"]);
  });
  it("counts each state the menu offers with the other filters applied, whatever state is chosen", () => {
    expect(filter({}).stateCounts).toEqual({ any: 4, not_covered: 4, covered: 1, not_attached: 1, legacy_only: 1, rejected: 0, missing: 4, not_needed: 0 });
    // Chosen state does not change the counts; registry and selector do.
    expect(filter({ state: "covered", domain: "us.icr.io" }).stateCounts).toEqual({ any: 4, not_covered: 3, covered: 1, not_attached: 1, legacy_only: 0, rejected: 0, missing: 2, not_needed: 0 });
    expect(filter({ selector: "env=prod", domain: "us.icr.io" }).stateCounts).toMatchObject({ any: 2, covered: 1, missing: 1, not_covered: 1 });
    for (const state of ["covered", "missing", "not_covered", "legacy_only"] as const) {
      expect(filter({ state, domain: "us.icr.io" }).rows).toHaveLength(filter({ domain: "us.icr.io" }).stateCounts[state]);
    }
  });
});

describe("sortRows", () => {
  const sorted = (key: Parameters<typeof sortRows>[1]["key"], direction: "asc" | "desc") => names(sortRows(index.rows, { key, direction }, payload.domains));
  it("sorts by name, coverage, findings and a registry column, ties by name", () => {
    expect(sorted("namespace", "desc")).toEqual(["web-prod", "web-dev", "sandbox", "data"]);
    expect(sorted("coverage", "desc")).toEqual(["web-prod", "data", "sandbox", "web-dev"]);
    expect(sorted("findings", "desc")[0]).toBe("web-dev");
    expect(sorted("@us.icr.io", "asc")).toEqual(["data", "sandbox", "web-dev", "web-prod"]);
  });
  it("sorts a registry column worst first: rejected before not needed; an unknown registry keeps name order", () => {
    const quiet = indexMatrix({ ...payload, rows: [["idle", "N-N-C-", [], 0, 0, 0, 0, 0], ["team", "RrN-C-", [], 0, 0, 0, 0, 0]] });
    expect(names(sortRows(quiet.rows, { key: "@us.icr.io", direction: "asc" }, payload.domains))).toEqual(["team", "idle"]);
    expect(names(sortRows(quiet.rows, { key: "@gone.example.com", direction: "asc" }, payload.domains))).toEqual(["idle", "team"]);
  });
});

describe("pageOf", () => {
  it("clamps the page and reports the visible range", () => {
    const items = Array.from({ length: 250 }, (_, i) => i);
    expect(pageOf(items, 3, 100)).toMatchObject({ page: 3, pageCount: 3, from: 201, to: 250 });
    expect(pageOf(items, 9, 100).page).toBe(3);
    expect(pageOf([], 1, 100)).toMatchObject({ page: 1, pageCount: 1, from: 0, to: 0 });
  });
});

describe("queryMatrix", () => {
  const many = indexMatrix({
    ...payload,
    labelPairs: ["env=prod", "env=dev", "team=web"],
    rows: Array.from({ length: 120 }, (_, i) => [`app-${String(i).padStart(3, "0")}`, i % 3 === 0 ? "C-C-M-" : "M-M-M-", i % 2 === 0 ? [0, 2] : [1], 0, 0, 0, 0, 0]),
  });
  it("answers one page, re-encoded with only the labels it uses, with the totals", () => {
    const page = queryMatrix(many, q({ page: 2, pageSize: 50 }));
    expect(page).toMatchObject({ cluster: "regional", total: 120, filtered: 120, page: 2, pageCount: 3, pageSize: 50, selectorError: null });
    expect(page.rows).toHaveLength(50);
    expect(page.rows[0]![0]).toBe("app-050");
    expect(decodeMatrix(page)[0]).toMatchObject({ namespace: "app-050", labels: { env: "prod", team: "web" } });
    const odd = queryMatrix(many, q({ filter: f({ selector: "env=dev" }), pageSize: 50 }));
    expect(odd.labelPairs).toEqual(["env=dev"]);
    expect(odd.filtered).toBe(60);
    expect(odd.rows.every(([name]) => Number(name.slice(4)) % 2 === 1)).toBe(true);
  });
  it("clamps a page past the end and sorts before paging", () => {
    expect(queryMatrix(many, q({ page: 99, pageSize: 100 })).page).toBe(2);
    const desc = queryMatrix(many, q({ sort: { key: "coverage", direction: "desc" }, pageSize: 50 }));
    expect(desc.rows.slice(0, 3).map(([name]) => name)).toEqual(["app-000", "app-003", "app-006"]);
    expect(queryMatrix(many, q({ filter: f({ state: "covered" }) })).filtered).toBe(40);
  });
  it("lists every matching namespace for select-all", () => {
    expect(matchingNamespaces(many, f({ state: "covered", text: "app-00" }))).toEqual(["app-000", "app-003", "app-006", "app-009"]);
  });
});

describe("viewOf", () => {
  const fresh = () => indexMatrix({ ...payload, rows: Array.from({ length: 60 }, (_, i) => [`ns-${String(i).padStart(2, "0")}`, i % 2 ? "C-M-" : "M-M-", [], i % 5, 0, 0, 0, 0]) });
  it("filters and sorts a view once: the same view and its other pages are served from the index", () => {
    const idx = fresh();
    const first = queryMatrix(idx, q({ filter: f({ state: "covered" }), sort: { key: "findings", direction: "desc" } }));
    const held = viewOf(idx, f({ state: "covered" }), { key: "findings", direction: "desc" });
    expect(idx.views.size).toBe(1);
    expect(held.rows).toHaveLength(30);
    const second = queryMatrix(idx, q({ filter: f({ state: "covered" }), sort: { key: "findings", direction: "desc" }, page: 1 }));
    expect(second).toEqual(first);
    queryMatrix(idx, q({ filter: f({ state: "covered" }), sort: { key: "findings", direction: "desc" }, page: 2, pageSize: 100 }));
    expect(viewOf(idx, f({ state: "covered" }), { key: "findings", direction: "desc" })).toBe(held);
    expect(idx.views.size).toBe(1);
    queryMatrix(idx, q({ filter: f({ state: "covered" }) }));
    expect(idx.views.size).toBe(2);
  });
  it("keeps at most VIEWS_KEPT views, dropping the least recently used", () => {
    const idx = fresh();
    const kept = viewOf(idx, f({ text: "ns-0" }), DEFAULT_QUERY.sort);
    for (let i = 0; i < VIEWS_KEPT + 5; i++) {
      viewOf(idx, f({ text: `ns-${i}` }), DEFAULT_QUERY.sort);
      // Asked again each time: the most recently used, never evicted.
      viewOf(idx, f({ text: "ns-0" }), DEFAULT_QUERY.sort);
    }
    expect(idx.views.size).toBe(VIEWS_KEPT);
    expect(viewOf(idx, f({ text: "ns-0" }), DEFAULT_QUERY.sort)).toBe(kept);
    const first = viewOf(idx, f({ text: "ns-1" }), DEFAULT_QUERY.sort);
    expect(names(first.rows)).toEqual(["ns-10", "ns-11", "ns-12", "ns-13", "ns-14", "ns-15", "ns-16", "ns-17", "ns-18", "ns-19"]);
  });
  it("answers select-all in name order whatever sort the page shows", () => {
    const idx = fresh();
    queryMatrix(idx, q({ filter: f({ text: "ns-1" }), sort: { key: "namespace", direction: "desc" } }));
    expect(matchingNamespaces(idx, f({ text: "ns-1" }))[0]).toBe("ns-10");
  });
});
