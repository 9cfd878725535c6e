import { describe, expect, it } from "vitest";
import { copyName } from "./copy-pull-secrets";

describe("copyName", () => {
  it("names copies as the seed's sed does for default-… secrets, and keeps other names", () => {
    expect(copyName("default-us-icr-io", "shop", "seed")).toBe("shop-us-icr-io");
    expect(copyName("all-icr-io", "shop", "seed")).toBe("all-icr-io");
    expect(copyName("default-us-icr-io", "shop", "keep")).toBe("default-us-icr-io");
  });
});
