import { describe, expect, it } from "vitest";
import { CLIENT_ADDRESS_HEADER, clientAddress, parseTrustedProxies, resolveClientAddress } from "./client-address";
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
  it("reads only the address the HTTP server stamped, never a client's X-Forwarded-For or X-Real-IP", () => {
    expect(clientAddress(new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.9" }))).toBeNull();
    expect(clientAddress(new Headers({ "x-real-ip": "2001:DB8::1" }))).toBeNull();
    expect(clientAddress(new Headers({ [CLIENT_ADDRESS_HEADER]: "203.0.113.9", "x-forwarded-for": "6.6.6.6" }))).toBe("203.0.113.9");
    expect(clientAddress(new Headers({ [CLIENT_ADDRESS_HEADER]: "not an address" }))).toBeNull();
    expect(clientAddress(new Headers())).toBeNull();
  });
});

describe("resolveClientAddress", () => {
  const none = parseTrustedProxies([]);
  const proxies = parseTrustedProxies(["10.0.0.0/8", "fd00::/8", "192.0.2.1"]);

  it("takes the socket's peer when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(resolveClientAddress("203.0.113.9", "6.6.6.6", none)).toBe("203.0.113.9");
    expect(resolveClientAddress("::ffff:203.0.113.9", undefined, none)).toBe("203.0.113.9");
    expect(resolveClientAddress("10.1.1.1", "6.6.6.6", none)).toBe("10.1.1.1");
    expect(resolveClientAddress(undefined, "6.6.6.6", none)).toBeNull();
  });

  it("walks X-Forwarded-For from the right through trusted proxies to the first untrusted hop", () => {
    expect(resolveClientAddress("10.0.0.5", "6.6.6.6, 203.0.113.9", proxies)).toBe("203.0.113.9");
    expect(resolveClientAddress("10.0.0.5", "6.6.6.6, 203.0.113.9, 10.2.2.2, 192.0.2.1", proxies)).toBe("203.0.113.9");
    expect(resolveClientAddress("fd00::1", "2001:DB8::1", proxies)).toBe("2001:db8::1");
    // A trusted proxy with nothing (or garbage) before it stands for the client.
    expect(resolveClientAddress("10.0.0.5", undefined, proxies)).toBe("10.0.0.5");
    expect(resolveClientAddress("10.0.0.5", "evil, not-an-ip", proxies)).toBe("10.0.0.5");
    // An untrusted peer's header is ignored even when it names trusted proxies.
    expect(resolveClientAddress("203.0.113.7", "6.6.6.6, 10.0.0.5", proxies)).toBe("203.0.113.7");
  });

  it("refuses entries that are not addresses or CIDRs", () => {
    for (const bad of ["10.0.0.0/33", "example.com", "10.0.0.0/", "fd00::/129", "1.2.3.4/8/1"]) {
      expect(() => parseTrustedProxies([bad]), bad).toThrow(/is not an IP address or CIDR/);
    }
  });
});
