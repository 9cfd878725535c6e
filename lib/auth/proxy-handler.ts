import { getSessionCookie } from "better-auth/cookies";
import { NextResponse, type NextRequest } from "next/server";
import { PATH_HEADER, signInUrl } from "./paths";
import { contentSecurityPolicy, createNonce, strictTransportSecurity } from "./security-headers";
import { refuseBadBody, refuseCrossOrigin, type ServerActionRefusal } from "./server-action-guard";

/** Pages anyone may open; everything else needs a session (checked for real on the server). */
const PUBLIC_PAGES = new Set(["/sign-in", "/setup"]);
const COOKIE_PREFIX = "pullkeeper";

/** Request headers only this proxy may set; whatever a client sent under these names is replaced. */
const NONCE_HEADER = "x-nonce";

export interface ProxySettings {
  /** `next dev`: the CSP allows eval and the hot-reload websocket. */
  development: boolean;
  /** PULLKEEPER_PUBLIC_URL, when set: an https one turns on HSTS. */
  publicUrl?: string;
  /** PULLKEEPER_ALLOWED_ORIGINS: hosts other than Host whose pages may call server actions (as next.config.js). */
  allowedOrigins?: readonly string[];
}

/** Told once per refused server-action request: which check, never any of the body. */
export type RefusalLog = (refusal: ServerActionRefusal, request: NextRequest) => void;

/**
 * Runs before every request, prefetches included: sets a per-request CSP nonce
 * (never one a client sent), HSTS when the public address is https, records the
 * path for the return trip after sign-in, and sends a page request without any
 * session cookie straight to sign-in. This is a convenience only: pages, route
 * handlers and server actions check the session themselves.
 */
export function handleRequest(request: NextRequest, settings: ProxySettings): NextResponse {
  const nonce = createNonce();
  const { csp, withSecurityHeaders } = securityHeaders(request, settings, nonce);
  const { pathname, search } = request.nextUrl;
  const isApi = pathname.startsWith("/api/");
  const isPage = !isApi && request.method === "GET";

  if (isPage && !PUBLIC_PAGES.has(pathname) && !getSessionCookie(request, { cookiePrefix: COOKIE_PREFIX })) {
    return withSecurityHeaders(NextResponse.redirect(new URL(signInUrl(`${pathname}${search}`), request.url), 307));
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", csp);
  requestHeaders.set(NONCE_HEADER, nonce);
  requestHeaders.set(PATH_HEADER, `${pathname}${search}`);
  return withSecurityHeaders(NextResponse.next({ request: { headers: requestHeaders } }));
}

/**
 * A server-action POST (Next-Action header): refused here with 400, 403 or 413
 * when Next.js would fail it with a 500 (cross-origin, oversized or undecodable
 * body); otherwise handled like any request. The body read is the proxy's copy.
 * The refusal is plain text, which Next's client shows as the action's error.
 */
export async function handleServerAction(request: NextRequest, settings: ProxySettings, logRefusal: RefusalLog): Promise<NextResponse> {
  const refusal = refuseCrossOrigin(request.headers, settings.allowedOrigins ?? []) ?? (await refuseBadBody(request));
  if (!refusal) return handleRequest(request, settings);
  logRefusal(refusal, request);
  const response = new NextResponse(refusal.message, { status: refusal.status, headers: { "content-type": "text/plain", "cache-control": "no-store" } });
  return securityHeaders(request, settings, createNonce()).withSecurityHeaders(response);
}

function securityHeaders(request: NextRequest, settings: ProxySettings, nonce: string) {
  const csp = contentSecurityPolicy({ nonce, development: settings.development, https: request.nextUrl.protocol === "https:" });
  const hsts = strictTransportSecurity(settings.publicUrl);
  const withSecurityHeaders = (response: NextResponse) => {
    response.headers.set("Content-Security-Policy", csp);
    if (hsts) response.headers.set("Strict-Transport-Security", hsts);
    return response;
  };
  return { csp, withSecurityHeaders };
}
