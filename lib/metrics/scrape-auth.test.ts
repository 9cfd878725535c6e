import { describe, expect, it } from "vitest";
import { decideScrape } from "./scrape-auth";

const TOKEN = "scrape-token-0123456789abcdefghij";

describe("decideScrape", () => {
  it("is off without a configured token, whatever is sent", () => {
    expect(decideScrape(undefined, `Bearer ${TOKEN}`)).toBe("off");
    expect(decideScrape("", null)).toBe("off");
  });

  it("allows exactly the configured bearer token (scheme case-insensitive, as RFC 6750 allows)", () => {
    expect(decideScrape(TOKEN, `Bearer ${TOKEN}`)).toBe("allowed");
    expect(decideScrape(TOKEN, `bearer ${TOKEN}`)).toBe("allowed");
  });

  it("refuses anything else", () => {
    for (const header of [null, "", "Bearer", "Bearer ", `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, TOKEN, `Basic ${TOKEN}`, `Bearer ${TOKEN} extra`]) {
      expect(decideScrape(TOKEN, header), String(header)).toBe("unauthorized");
    }
  });
});
