import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { parseCookies } from "better-auth/cookies";
import { onAuthRowsWritten } from "@/lib/db/auth-writes";
import { env } from "@/lib/env";
import { recordAccessDenied } from "./denials";
import { FORBIDDEN_PATH, PATH_HEADER, PENDING_PATH, signInUrl } from "./paths";
import { can, type Permission, type PermissionScope, type SessionUser } from "./permissions";
import { COOKIE_PREFIX } from "./server";
import { authService } from "./service";
import { createSessionCache, type SessionCache } from "./session-cache";
import { isPendingUser, toSessionUser } from "./users";

/** A valid session: a user with a role, or a single sign-on user waiting for an admin (no access at all). */
export type SessionAccess = { kind: "user"; user: SessionUser } | { kind: "pending"; email: string; name: string };

/** What a pending user is told by every page (via /pending), route and action. */
export const PENDING_MESSAGE = "Your account is waiting for approval: an admin must approve your access before you can use Pullkeeper.";

const CACHE_SLOT = Symbol.for("pullkeeper.session-cache");

/** The process's one session cache (globalThis: Next bundles this module once per route bundle, and all must share one). */
function sessionCache(): SessionCache<SessionAccess> {
  const holder = globalThis as { [CACHE_SLOT]?: SessionCache<SessionAccess> };
  if (!holder[CACHE_SLOT]) {
    const cache = createSessionCache<SessionAccess>({ ttlMs: env().AUTH_SESSION_CACHE_SECONDS * 1000 });
    onAuthRowsWritten(() => cache.invalidateAll());
    holder[CACHE_SLOT] = cache;
  }
  return holder[CACHE_SLOT];
}

/**
 * The session in these request headers: who, and whether they are still pending; null without a valid session.
 * Answers for valid sessions are reused for AUTH_SESSION_CACHE_SECONDS, and forgotten at once when a user, session
 * or account row is written through this process (see lib/auth/session-cache.ts).
 */
export async function accessFromHeaders(requestHeaders: Headers): Promise<SessionAccess | null> {
  const cookies = requestHeaders.get("cookie");
  if (!cookies) return null;
  const { auth } = await authService();
  // Keyed by exactly the cookie better-auth reads (the __Secure- one only over HTTPS), so a cached answer is that cookie's.
  const cookieValue = parseCookies(cookies).get(`${auth.options.advanced?.useSecureCookies ? "__Secure-" : ""}${COOKIE_PREFIX}.session_token`);
  if (!cookieValue) return null;
  const cache = sessionCache();
  const cached = cache.get(cookieValue);
  if (cached) return cached;
  const generation = cache.generation();
  const session = await auth.api.getSession({ headers: requestHeaders });
  if (!session) return null;
  const access = accessOf(session.user);
  if (access) cache.set(cookieValue, access, new Date(session.session.expiresAt), generation);
  return access;
}

function accessOf(sessionUser: Parameters<typeof toSessionUser>[0]): SessionAccess | null {
  if (isPendingUser(sessionUser)) return { kind: "pending", email: sessionUser.email, name: sessionUser.name || sessionUser.email };
  const user = toSessionUser(sessionUser);
  // Frozen: a cached answer is shared by every request of this session for a few seconds.
  if (!user) return null;
  if (user.clusters) Object.freeze(user.clusters);
  return Object.freeze({ kind: "user", user: Object.freeze(user) });
}

/** The session of this request, once per request. */
export const currentAccess = cache(async (): Promise<SessionAccess | null> => accessFromHeaders(new Headers(await headers())));

/**
 * The user whose valid session cookie is in these request headers, or null.
 * Expiry, sign-out, deactivation and role changes made through this process take effect on
 * the next request; made on another replica, within AUTH_SESSION_CACHE_SECONDS.
 */
export async function userFromHeaders(requestHeaders: Headers): Promise<SessionUser | null> {
  const access = await accessFromHeaders(requestHeaders);
  return access?.kind === "user" ? access.user : null;
}

/** The signed-in user with a role (not a pending one), for server components, route handlers and actions; once per request. */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const access = await currentAccess();
  return access?.kind === "user" ? access.user : null;
});

/** The path being rendered, as the proxy recorded it (only used to come back after sign-in). */
export async function requestPath(): Promise<string> {
  return (await headers()).get(PATH_HEADER) ?? "/";
}

/**
 * For pages: the signed-in user holding `permission` (on `scope.cluster`).
 * Anonymous → redirect to /sign-in?next=…; pending approval → /pending; lacking the permission → the denial
 * is audited and the person lands on /forbidden. Call it first, before any data access.
 */
export async function requireUser(permission?: Permission, scope?: PermissionScope): Promise<SessionUser> {
  const access = await currentAccess();
  if (!access) redirect(signInUrl(await requestPath()));
  if (access.kind === "pending") redirect(PENDING_PATH);
  const user = access.user;
  if (permission && !can(user, permission, scope)) {
    await recordAccessDenied({ user, permission, target: await requestPath(), via: "page", ...(scope?.cluster ? { cluster: scope.cluster } : {}) });
    const query = new URLSearchParams({ permission, ...(scope?.cluster ? { cluster: scope.cluster } : {}) });
    redirect(`${FORBIDDEN_PATH}?${query.toString()}`);
  }
  return user;
}
