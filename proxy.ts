import type { NextRequest, NextResponse } from "next/server";
import { handleRequest, type ProxySettings } from "@/lib/auth/proxy-handler";
import { env } from "@/lib/env";

let settings: ProxySettings | undefined;

/** See lib/auth/proxy-handler.ts: the CSP nonce, HSTS and the early redirect to sign-in. */
export function proxy(request: NextRequest): NextResponse {
  settings ??= {
    // NODE_ENV is fixed by `next dev` / `next build` at compile time, not runtime configuration.
    development: process.env.NODE_ENV === "development",
    publicUrl: env().PULLKEEPER_PUBLIC_URL,
  };
  return handleRequest(request, settings);
}

export const config = {
  // Prefetches included: the HTML of a prefetched page carries the CSP, and its
  // nonce must be the server's, never a header the client sent.
  // The Prometheus scrape (/api/metrics) is plain text behind its own bearer token: no page, no nonce, no redirect.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt|api/metrics$).*)"],
};
