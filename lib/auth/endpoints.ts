/**
 * The better-auth endpoints Pullkeeper serves over HTTP under /api/auth; every
 * other one (change-password, update-user, change-email, delete-user, list or
 * revoke sessions, account linking…) answers 404. They would bypass Pullkeeper's
 * password policy, input validation and audit log: password and profile changes
 * go through the guarded, validated and audited server actions instead. The app
 * itself calls better-auth in-process (`auth.api`), which this list does not limit.
 */
const EXPOSED: ReadonlyArray<{ method: "GET" | "POST"; path: RegExp }> = [
  { method: "POST", path: /^\/sign-in\/email$/ },
  { method: "POST", path: /^\/sign-out$/ },
  { method: "GET", path: /^\/get-session$/ },
  // The OpenID Connect redirect back from the provider (query, or form_post).
  { method: "GET", path: /^\/callback\/[a-z0-9-]+$/ },
  { method: "POST", path: /^\/callback\/[a-z0-9-]+$/ },
  // Where better-auth sends a browser after an error it cannot redirect elsewhere.
  { method: "GET", path: /^\/error$/ },
];

export const AUTH_BASE_PATH = "/api/auth";

/** Whether a request to better-auth's handler is one Pullkeeper serves. */
export function isExposedAuthEndpoint(method: string, pathname: string): boolean {
  if (!pathname.startsWith(`${AUTH_BASE_PATH}/`)) return false;
  const path = pathname.slice(AUTH_BASE_PATH.length).replace(/\/+$/, "");
  return EXPOSED.some((endpoint) => endpoint.method === method.toUpperCase() && endpoint.path.test(path));
}

/** Wraps better-auth's HTTP handler: anything not exposed answers 404 before better-auth sees it. */
export function exposedAuthHandler(handler: (request: Request) => Promise<Response>): (request: Request) => Promise<Response> {
  return async (request) => {
    if (!isExposedAuthEndpoint(request.method, new URL(request.url).pathname)) {
      return Response.json({ error: "Not found.", kind: "not_found" }, { status: 404, headers: { "Cache-Control": "no-store" } });
    }
    return handler(request);
  };
}
