import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "@/proxy";

const get = (url: string, cookie?: string) => proxy(new NextRequest(url, { headers: cookie ? { cookie } : {} }));

describe("proxy", () => {
  it("sends a page request without a session cookie to sign-in, keeping where it was going", () => {
    const response = get("http://pk.test/audit?cluster=regional");
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe("http://pk.test/sign-in?next=%2Faudit%3Fcluster%3Dregional");
  });

  it("lets the sign-in pages, API routes and cookie-bearing requests through with a nonce CSP", () => {
    for (const response of [get("http://pk.test/sign-in"), get("http://pk.test/api/health"), get("http://pk.test/", "pullkeeper.session_token=abc.def")]) {
      expect(response.status).toBe(200);
      expect(response.headers.get("x-middleware-next")).toBe("1");
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
      expect(csp).toContain("frame-ancestors 'none'");
      // The nonce and the path reach the server components through the request headers.
      expect(response.headers.get("x-middleware-request-x-nonce")).toBeTruthy();
      expect(response.headers.get("x-middleware-request-x-pullkeeper-path")).toMatch(/^\//);
    }
  });

  it("gives every response its own nonce", () => {
    const a = get("http://pk.test/sign-in").headers.get("x-middleware-request-x-nonce");
    const b = get("http://pk.test/sign-in").headers.get("x-middleware-request-x-nonce");
    expect(a).not.toBe(b);
  });
});
