import { describe, expect, it } from "vitest";
import type { MatrixPayload } from "@/lib/api/matrix";
import { SAMPLE_MATRIX as payload } from "@/lib/api/matrix-test-payload";
import { bulkHref, decodeMatrix, EMPTY_FILTER, MAX_NAMESPACE_LIST_CHARS, type MatrixFilter } from "./matrix-model";

const rows = decodeMatrix(payload);
const f = (over: Partial<MatrixFilter>): MatrixFilter => ({ ...EMPTY_FILTER, ...over });

describe("decodeMatrix", () => {
  it("decodes states, verification, labels and findings", () => {
    expect(rows[0]).toMatchObject({ namespace: "web-prod", states: ["covered", "covered", "missing"], verification: ["valid", "unknown", "unknown"], labels: { team: "web", env: "prod" }, coveredCount: 2, hasDefaultServiceAccount: true });
    expect(rows[2]).toMatchObject({ states: ["missing", "missing", "legacy_only"], atRisk: 1, stale: 1, restart: 1, hasDefaultServiceAccount: false });
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

describe("rejected and not needed cells", () => {
  it("decodes them", () => {
    const quiet: MatrixPayload = { ...payload, rows: [["team", "RrN-C-", [], 0, 0, 0, 0, 0]] };
    expect(decodeMatrix(quiet)[0]).toMatchObject({ states: ["rejected", "not_needed", "covered"], verification: ["rejected", "unknown", "unknown"], coveredCount: 1 });
  });
});
