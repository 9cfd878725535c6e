import { describe, expect, it } from "vitest";
import { csvCell, csvRow } from "./csv";

describe("csvCell", () => {
  it("neutralises every cell a spreadsheet would run as a formula or a DDE command", () => {
    for (const value of ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "|calc!A0"]) {
      expect(csvCell(value).replace(/^"/, "")).toMatch(/^'/);
    }
  });

  it("quotes per RFC 4180 and leaves plain text alone", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('a "b", c')).toBe('"a ""b"", c"');
    expect(csvCell(null)).toBe("");
    expect(csvRow(["a", 1, "=x"])).toBe("a,1,'=x\r\n");
  });
});
