import { describe, expect, it } from "vitest";
import { filterQueryString, parseAuditFilter } from "./filter-params";

describe("parseAuditFilter", () => {
  it("maps query parameters to a store filter, ignoring empty fields", () => {
    const result = parseAuditFilter(new URLSearchParams("cluster=legacy&status=succeeded&q=migrate&namespace=&from=2026-11-01"));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.filter).toMatchObject({ cluster: "legacy", status: "succeeded", text: "migrate" });
    expect(result.filter.namespace).toBeUndefined();
    expect(result.filter.from?.toISOString()).toBe("2026-11-01T00:00:00.000Z");
  });

  it("treats a bare end date as the whole day", () => {
    const result = parseAuditFilter({ to: "2026-11-28" });
    expect(result.ok && result.filter.to?.toISOString()).toBe("2026-11-28T23:59:59.999Z");
  });

  it("returns field errors for a bad status or date", () => {
    const result = parseAuditFilter({ status: "exploded", from: "yesterday-ish" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(["from", "status"]);
  });

  it("round-trips into a query string without the cursor", () => {
    const result = parseAuditFilter({ cluster: "a b", cursor: "abc" });
    expect(result.ok && filterQueryString(result.params)).toBe("?cluster=a+b");
    expect(result.ok && result.cursor).toBe("abc");
  });
});
