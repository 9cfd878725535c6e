import { NextRequest, type NextResponse } from "next/server";
import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { config, proxy } from "@/proxy";

/** Anything but a server-action POST is answered without waiting (only those have a body to read). */
function answered(response: NextResponse | Promise<NextResponse>): NextResponse {
  if (response instanceof Promise) throw new Error("the proxy should have answered synchronously");
  return response;
}

const get = (url: string, cookie?: string) => answered(proxy(new NextRequest(url, { headers: cookie ? { cookie } : {} })));

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

describe("proxy on prefetches and client-sent nonces", () => {
  it("runs for prefetch requests too, so their HTML carries the CSP", () => {
    for (const headers of [{ "next-router-prefetch": "1" }, { purpose: "prefetch" }, {}]) {
      expect(unstable_doesMiddlewareMatch({ config, url: "http://pk.test/audit", headers })).toBe(true);
    }
    expect(unstable_doesMiddlewareMatch({ config, url: "http://pk.test/_next/static/chunks/app.js" })).toBe(false);
  });

  it("leaves the Prometheus scrape alone, and nothing else under /api", () => {
    expect(unstable_doesMiddlewareMatch({ config, url: "http://pk.test/api/metrics" })).toBe(false);
    expect(unstable_doesMiddlewareMatch({ config, url: "http://pk.test/api/metrics-export" })).toBe(true);
    expect(unstable_doesMiddlewareMatch({ config, url: "http://pk.test/api/clusters" })).toBe(true);
  });

  it("replaces a nonce or CSP the client sent with its own", () => {
    const response = answered(
      proxy(
        new NextRequest("http://pk.test/", {
          headers: { cookie: "pullkeeper.session_token=abc.def", "next-router-prefetch": "1", "x-nonce": "attacker", "content-security-policy": "script-src *" },
        }),
      ),
    );
    const nonce = response.headers.get("x-middleware-request-x-nonce");
    expect(nonce).toBeTruthy();
    expect(nonce).not.toBe("attacker");
    expect(response.headers.get("x-middleware-request-content-security-policy")).toContain(`'nonce-${nonce}'`);
    expect(response.headers.get("content-security-policy")).toContain(`'nonce-${nonce}'`);
  });
});

describe("proxy HSTS", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  async function proxyWithPublicUrl(publicUrl: string) {
    vi.resetModules();
    vi.stubEnv("PULLKEEPER_PUBLIC_URL", publicUrl);
    return (await import("@/proxy")).proxy;
  }

  it("sends Strict-Transport-Security on pages, redirects and API responses when the public URL is https", async () => {
    const httpsProxy = await proxyWithPublicUrl("https://pullkeeper.example.com");
    for (const url of ["https://pullkeeper.example.com/sign-in", "https://pullkeeper.example.com/audit", "https://pullkeeper.example.com/api/health"]) {
      expect(answered(httpsProxy(new NextRequest(url))).headers.get("strict-transport-security"), url).toMatch(/^max-age=\d{7,}/);
    }
  });

  it("sends none over plain http", async () => {
    const httpProxy = await proxyWithPublicUrl("http://localhost:3000");
    expect(answered(httpProxy(new NextRequest("http://localhost:3000/sign-in"))).headers.get("strict-transport-security")).toBeNull();
  });
});
