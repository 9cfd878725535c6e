import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { STATE_CODES } from "@/lib/api/matrix";

// Matrix cells carry only their state's code (matrix-table.tsx); app/globals.css gives each code its colour.
describe("matrix cell styles", () => {
  const css = fs.readFileSync(path.join(import.meta.dirname, "../../app/globals.css"), "utf8");
  it.each(Object.entries(STATE_CODES))("styles %s cells (data-state=%s) by their code", (_state, code) => {
    expect(css).toMatch(new RegExp(`\\.coverage-cells button\\[data-state="${code}"\\][^{]*\\{\\s*@apply [^;]*border-`));
  });
});
