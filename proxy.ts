import type { NextRequest, NextResponse } from "next/server";
import { handleRequest, handleServerAction, type ProxySettings, type RefusalLog } from "@/lib/auth/proxy-handler";
import { isServerActionRequest } from "@/lib/auth/server-action-guard";
import { env } from "@/lib/env";
import { logger } from "@/lib/log";

let settings: ProxySettings | undefined;

const logRefusal: RefusalLog = (refusal, request) =>
  logger.warn({ status: refusal.status, reason: refusal.reason, method: request.method, path: request.nextUrl.pathname }, "server action request refused");

/**
 * See lib/auth/proxy-handler.ts: the CSP nonce, HSTS, the early redirect to
 * sign-in, and server-action requests Next.js would fail with a 500 refused
 * with a 4xx. Only a server-action POST makes this asynchronous (its body is read).
 */
export function proxy(request: NextRequest): NextResponse | Promise<NextResponse> {
  settings ??= {
    // NODE_ENV is fixed by `next dev` / `next build` at compile time, not runtime configuration.
    development: process.env.NODE_ENV === "development",
    publicUrl: env().PULLKEEPER_PUBLIC_URL,
    allowedOrigins: env().PULLKEEPER_ALLOWED_ORIGINS.map((host) => host.replace(/^https?:\/\//, "")),
  };
  return isServerActionRequest(request) ? handleServerAction(request, settings, logRefusal) : handleRequest(request, settings);
}

export const config = {
  // Prefetches included: the HTML of a prefetched page carries the CSP, and its
  // nonce must be the server's, never a header the client sent.
  // The Prometheus scrape (/api/metrics) is plain text behind its own bearer token: no page, no nonce, no redirect.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt|api/metrics$).*)"],
};
