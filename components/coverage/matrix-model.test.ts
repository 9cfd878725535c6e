import { describe, expect, it } from "vitest";
import type { MatrixPayload } from "@/lib/api/matrix";
import { bulkHref, decodeMatrix, EMPTY_FILTER, filterFromParams, filterRows, MAX_NAMESPACE_LIST_CHARS, pageOf, sortRows, type MatrixFilter } from "./matrix-model";

const payload: MatrixPayload = {
  cluster: "regional",
  scannedAt: "2025-01-01T00:00:00Z",
  domains: [
    { registry: "us.icr.io", group: "icr", region: "us-south", successor: null },
    { registry: "de.icr.io", group: "icr", region: "eu-de", successor: null },
    { registry: "registry.ng.bluemix.net", group: "legacy-icr", region: "us-south", successor: "us.icr.io" },
  ],
  labelPairs: ["team=web", "env=prod", "env=dev", "team=data"],
  rows: [
    ["web-prod", "CvC-M-", [0, 1], 0, 0, 0, 0, 0],
    ["web-dev", "A-M-M-", [0, 2], 2, 1, 0, 0, 0],
    ["data", "M-M-L-", [3, 1], 1, 0, 1, 1, 1],
    ["sandbox", "M-M-M-", [], 0, 0, 0, 0, 0],
  ],
};
const rows = decodeMatrix(payload);
const names = (r: { namespace: string }[]) => r.map((x) => x.namespace);
const f = (over: Partial<MatrixFilter>): MatrixFilter => ({ ...EMPTY_FILTER, ...over });

describe("decodeMatrix", () => {
  it("decodes states, verification, labels and findings", () => {
    expect(rows[0]).toMatchObject({ namespace: "web-prod", states: ["covered", "covered", "missing"], verification: ["valid", "unknown", "unknown"], labels: { team: "web", env: "prod" }, coveredCount: 2, hasDefaultServiceAccount: true });
    expect(rows[2]).toMatchObject({ states: ["missing", "missing", "legacy_only"], atRisk: 1, stale: 1, restart: 1, hasDefaultServiceAccount: false });
  });
});

describe("filterRows", () => {
  const filter = (over: Partial<MatrixFilter>) => filterRows(rows, payload.domains, f(over));
  it("filters by text over names and labels", () => {
    expect(names(filter({ text: "WEB" }).rows)).toEqual(["web-prod", "web-dev"]);
    expect(names(filter({ text: "team=data" }).rows)).toEqual(["data"]);
  });
  it("applies a state to one registry, or to any registry", () => {
    expect(names(filter({ state: "covered", domain: "de.icr.io" }).rows)).toEqual(["web-prod"]);
    expect(names(filter({ state: "not_attached" }).rows)).toEqual(["web-dev"]);
    expect(names(filter({ state: "not_covered", domain: "us.icr.io" }).rows)).toEqual(["web-dev", "data", "sandbox"]);
    expect(names(filter({ state: "legacy_only" }).rows)).toEqual(["data"]);
  });
  it("restores the kubernetes.io/metadata.name label the payload leaves out", () => {
    expect(names(filter({ selector: "kubernetes.io/metadata.name in (data,sandbox)" }).rows)).toEqual(["data", "sandbox"]);
  });
  it("filters by label selector and reports a bad one without dropping every row", () => {
    expect(names(filter({ selector: "env=prod" }).rows)).toEqual(["web-prod", "data"]);
    expect(names(filter({ selector: "team in (web),env!=prod" }).rows)).toEqual(["web-dev"]);
    const bad = filter({ selector: "env=" + "x y" });
    expect(bad.selectorError).toBeTruthy();
    expect(bad.rows).toHaveLength(4);
  });
  it("keeps only namespaces with findings when asked", () => {
    expect(names(filter({ findingsOnly: true }).rows)).toEqual(["web-dev", "data"]);
  });
});

describe("sortRows", () => {
  it("sorts by name, coverage, findings and a registry column, ties by name", () => {
    expect(names(sortRows(rows, { key: "namespace", direction: "desc" }))).toEqual(["web-prod", "web-dev", "sandbox", "data"]);
    expect(names(sortRows(rows, { key: "coverage", direction: "desc" }))).toEqual(["web-prod", "data", "sandbox", "web-dev"]);
    expect(names(sortRows(rows, { key: "findings", direction: "desc" }))[0]).toBe("web-dev");
    expect(names(sortRows(rows, { key: 0, direction: "asc" }))).toEqual(["data", "sandbox", "web-dev", "web-prod"]);
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

describe("bulkHref", () => {
  it("links a short selection by name", () => {
    expect(bulkHref("regional", "copy", ["web-dev", "data"], { filter: EMPTY_FILTER, allFilteredSelected: false })).toEqual({ href: "/clusters/regional/workflows/copy?namespaces=data%2Cweb-dev", reason: null });
    expect(bulkHref("regional", "attach", [], { filter: EMPTY_FILTER, allFilteredSelected: false }).href).toBeNull();
  });
  it("uses a selector (and uncovered=1) for a large selection that is exactly the filter", () => {
    const many = Array.from({ length: 2000 }, (_, i) => `app-${String(i).padStart(4, "0")}`);
    expect(many.join(",").length).toBeGreaterThan(MAX_NAMESPACE_LIST_CHARS);
    expect(bulkHref("large", "copy", many, { filter: f({ selector: "env=prod", state: "not_covered" }), allFilteredSelected: true }).href).toBe("/clusters/large/workflows/copy?selector=env%3Dprod&uncovered=1");
    expect(bulkHref("large", "attach", many, { filter: f({ state: "not_covered" }), allFilteredSelected: true }).href).toBe("/clusters/large/workflows/attach?uncovered=1");
    const refused = bulkHref("large", "copy", many, { filter: f({ text: "app-1" }), allFilteredSelected: true });
    expect(refused.href).toBeNull();
    expect(refused.reason).toMatch(/too many/);
    expect(bulkHref("large", "copy", many, { filter: f({ selector: "env=prod" }), allFilteredSelected: false }).href).toBeNull();
  });
});

describe("filterFromParams", () => {
  it("reads a linked filter and ignores unknown states", () => {
    expect(filterFromParams({ q: "web", state: "missing", domain: "us.icr.io", selector: "env=prod", findings: "1" })).toEqual({ text: "web", state: "missing", domain: "us.icr.io", selector: "env=prod", findingsOnly: true });
    expect(filterFromParams({ state: "bogus" }).state).toBe("any");
  });
});

describe("rejected and not needed cells", () => {
  const quiet: MatrixPayload = { ...payload, rows: [["team", "RrN-C-", [], 0, 0, 0, 0, 0], ["idle", "N-N-C-", [], 0, 0, 0, 0, 0]] };
  const decoded = decodeMatrix(quiet);
  it("decodes them", () => {
    expect(decoded[0]).toMatchObject({ states: ["rejected", "not_needed", "covered"], verification: ["rejected", "unknown", "unknown"] });
  });
  it("counts a rejected cell as not covered and a not-needed one as no gap, but lets the state filter show it", () => {
    expect(names(filterRows(decoded, quiet.domains, f({ state: "not_covered" })).rows)).toEqual(["team"]);
    expect(names(filterRows(decoded, quiet.domains, f({ state: "not_needed", domain: "us.icr.io" })).rows)).toEqual(["idle"]);
    expect(filterFromParams({ state: "rejected" }).state).toBe("rejected");
  });
  it("sorts a registry column worst first: rejected before not needed", () => {
    expect(names(sortRows(decoded, { key: 0, direction: "asc" }))).toEqual(["team", "idle"]);
  });
});
