import { describe, expect, it } from "vitest";
import { serverRoot } from "./root";
import { RESTORE_READINESS_LIMIT_MS, savedScansRestored } from "./running-operations";

describe("savedScansRestored (readiness)", () => {
  it("is true before and after the restore, false while it runs, and true again once it has run too long", () => {
    const startup = serverRoot().startup;
    expect(savedScansRestored()).toBe(true);
    startup.restoringSince = 1_000_000;
    expect(savedScansRestored(1_000_000)).toBe(false);
    expect(savedScansRestored(1_000_000 + RESTORE_READINESS_LIMIT_MS - 1)).toBe(false);
    expect(savedScansRestored(1_000_000 + RESTORE_READINESS_LIMIT_MS)).toBe(true);
    startup.restoringSince = null;
    expect(savedScansRestored(1_000_000)).toBe(true);
  });
});
