import { describe, expect, it } from "vitest";
import { DEFAULT_QUERY, matrixQueryFromParams, matrixQueryToSearch, type MatrixQuery } from "./matrix-query";

describe("the matrix view in the URL", () => {
  it("reads a linked filter, sort and page, and ignores unknown values", () => {
    expect(matrixQueryFromParams({ q: "web", state: "missing", domain: "us.icr.io", selector: "env=prod", findings: "1", sort: "@us.icr.io", dir: "desc", page: "3", size: "100" })).toEqual({
      filter: { text: "web", state: "missing", domain: "us.icr.io", selector: "env=prod", findingsOnly: true },
      sort: { key: "@us.icr.io", direction: "desc" },
      page: 3,
      pageSize: 100,
    });
    expect(matrixQueryFromParams({ state: "bogus", sort: "size", page: "-2", size: "7", dir: "up" })).toEqual(DEFAULT_QUERY);
    expect(matrixQueryFromParams({ state: ["rejected", "missing"], page: "1.5" })).toMatchObject({ filter: { state: "rejected" }, page: 1 });
    expect(matrixQueryFromParams(new URLSearchParams("state=not_covered&sort=findings"))).toMatchObject({ filter: { state: "not_covered" }, sort: { key: "findings" } });
  });
  it("writes only what differs from the default, and reads back what it wrote", () => {
    expect(matrixQueryToSearch(DEFAULT_QUERY)).toBe("");
    const query: MatrixQuery = { filter: { text: "a b", state: "not_needed", domain: "de.icr.io", selector: "team in (web,data)", findingsOnly: false }, sort: { key: "coverage", direction: "desc" }, page: 2, pageSize: 250 };
    const search = matrixQueryToSearch(query);
    expect(search).toBe("q=a+b&state=not_needed&domain=de.icr.io&selector=team+in+%28web%2Cdata%29&sort=coverage&dir=desc&page=2&size=250");
    expect(matrixQueryFromParams(new URLSearchParams(search))).toEqual(query);
  });
});
