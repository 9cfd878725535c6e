import { getSessionCookie } from "better-auth/cookies";
import { NextResponse, type NextRequest } from "next/server";
import { PATH_HEADER, signInUrl } from "@/lib/auth/paths";
import { contentSecurityPolicy, createNonce } from "@/lib/auth/security-headers";

/** Pages anyone may open; everything else needs a session (checked for real on the server). */
const PUBLIC_PAGES = new Set(["/sign-in", "/setup"]);
const COOKIE_PREFIX = "pullkeeper";

/**
 * Runs before every page and route: sets a per-request CSP nonce, records the
 * path for the return trip after sign-in, and sends a page request without any
 * session cookie straight to sign-in. This is a convenience only: pages,
 * route handlers and server actions check the session themselves.
 */
export function proxy(request: NextRequest): NextResponse {
  const nonce = createNonce();
  // NODE_ENV is fixed by `next dev` / `next build` at compile time, not runtime configuration.
  const csp = contentSecurityPolicy({
    nonce,
    development: process.env.NODE_ENV === "development",
    https: request.nextUrl.protocol === "https:",
  });
  const { pathname, search } = request.nextUrl;
  const isApi = pathname.startsWith("/api/");
  const isPage = !isApi && request.method === "GET";

  if (isPage && !PUBLIC_PAGES.has(pathname) && !getSessionCookie(request, { cookiePrefix: COOKIE_PREFIX })) {
    const response = NextResponse.redirect(new URL(signInUrl(`${pathname}${search}`), request.url), 307);
    response.headers.set("Content-Security-Policy", csp);
    return response;
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", csp);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set(PATH_HEADER, `${pathname}${search}`);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!_next/static|_next/image|favicon.ico|robots.txt).*)",
      // Prefetches do not render, so they need neither a nonce nor a redirect.
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
