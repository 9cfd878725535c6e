import { describe, expect, it } from "vitest";
import { clientAddress } from "./client-address";
import { safeNextPath, signInUrl } from "./paths";

describe("safeNextPath", () => {
  it("keeps same-origin paths with their query", () => {
    expect(safeNextPath("/audit?cluster=regional")).toBe("/audit?cluster=regional");
    expect(safeNextPath("/clusters/regional/namespaces")).toBe("/clusters/regional/namespaces");
  });

  it("turns anything that could leave the site, or loop, into /", () => {
    for (const value of [null, "", "https://evil.example", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "/sign-in?next=/x", "/api/auth/sign-out", "/%0d%0aSet-Cookie:x", "/\nx"]) {
      const result = safeNextPath(value);
      expect(result.startsWith("/") && !result.startsWith("//")).toBe(true);
      expect(result === "/" || result.startsWith("/%0d")).toBe(true);
    }
  });

  it("never returns a path the browser reads as another origin, even after normalising dot segments", () => {
    for (const value of ["/.//evil.example/phish", "/./\\evil.example", "/a/..//evil.example", "/%2E//evil.example", "/.%2F/evil.example", "/x/../\\evil.example"]) {
      const result = safeNextPath(value);
      expect(result, value).toMatch(/^\/(?![/\\])/);
      expect(result, value).not.toContain("\\");
      expect(new URL(result, "http://pk.test").origin, value).toBe("http://pk.test");
    }
    expect(safeNextPath("/.//evil.example/phish")).toBe("/");
    expect(signInUrl("/.//evil.example/phish")).toBe("/sign-in");
  });

  it("builds the sign-in URL with the return path", () => {
    expect(signInUrl("/audit?x=1")).toBe("/sign-in?next=%2Faudit%3Fx%3D1");
    expect(signInUrl("/")).toBe("/sign-in");
  });
});

describe("clientAddress", () => {
  it("uses the last forwarded hop, not what the client claimed first", () => {
    expect(clientAddress(new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.9" }))).toBe("203.0.113.9");
    expect(clientAddress(new Headers({ "x-forwarded-for": "::ffff:10.1.2.3" }))).toBe("10.1.2.3");
    expect(clientAddress(new Headers({ "x-real-ip": "2001:DB8::1" }))).toBe("2001:db8::1");
    expect(clientAddress(new Headers())).toBeNull();
  });
});
