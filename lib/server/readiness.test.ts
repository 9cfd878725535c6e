import { describe, expect, it } from "vitest";
import { serverRoot } from "./root";
import { WARM_READINESS_LIMIT_MS, scansWarm } from "./readiness";

describe("scansWarm (readiness)", () => {
  it("is true before and after the start's warm-up, false while it runs, and true again once it has run too long", () => {
    const startup = serverRoot().startup;
    expect(scansWarm()).toBe(true);
    startup.warmingSince = 1_000_000;
    expect(scansWarm(1_000_000)).toBe(false);
    expect(scansWarm(1_000_000 + WARM_READINESS_LIMIT_MS - 1)).toBe(false);
    expect(scansWarm(1_000_000 + WARM_READINESS_LIMIT_MS)).toBe(true);
    startup.warmingSince = null;
    expect(scansWarm(1_000_000)).toBe(true);
  });
});
