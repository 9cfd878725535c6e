import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, createNonce, STATIC_SECURITY_HEADERS } from "./security-headers";

function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(";").map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

describe("contentSecurityPolicy", () => {
  it("allows only nonce-bearing scripts, no framing and same-origin forms in production", () => {
    const csp = directives(contentSecurityPolicy({ nonce: "abc123", development: false }));
    expect(csp.get("script-src")).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("form-action")).toEqual(["'self'"]);
    expect(csp.get("base-uri")).toEqual(["'self'"]);
    expect(csp.has("upgrade-insecure-requests")).toBe(false);
  });

  it("adds only what next dev needs in development, and the upgrade over HTTPS", () => {
    const dev = directives(contentSecurityPolicy({ nonce: "n", development: true, https: true }));
    expect(dev.get("script-src")).toContain("'unsafe-eval'");
    expect(dev.get("script-src")).not.toContain("'unsafe-inline'");
    expect(dev.get("connect-src")).toContain("ws:");
    expect(dev.has("upgrade-insecure-requests")).toBe(true);
  });

  it("makes a fresh base64 nonce each time", () => {
    const a = createNonce();
    expect(a).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(createNonce()).not.toBe(a);
  });
});

describe("next.config.js", () => {
  it("sends the static security headers on every path", async () => {
    const configUrl = pathToFileURL(path.join(import.meta.dirname, "../../next.config.js")).href;
    const nextConfig: unknown = (await import(/* @vite-ignore */ configUrl)).default;
    const rules = await (nextConfig as { headers: () => Promise<Array<{ source: string; headers: Array<{ key: string; value: string }> }>> }).headers();
    const all = rules.find((rule) => rule.source === "/:path*");
    expect(all?.headers).toEqual(STATIC_SECURITY_HEADERS);
    expect(all?.headers.map((header) => header.key)).toEqual(
      expect.arrayContaining(["X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"]),
    );
  });
});
