import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { recordAccessDenied } from "./denials";
import { FORBIDDEN_PATH, PATH_HEADER, PENDING_PATH, signInUrl } from "./paths";
import { can, type Permission, type PermissionScope, type SessionUser } from "./permissions";
import { authService } from "./service";
import { isPendingUser, toSessionUser } from "./users";

/** A valid session: a user with a role, or a single sign-on user waiting for an admin (no access at all). */
export type SessionAccess = { kind: "user"; user: SessionUser } | { kind: "pending"; email: string; name: string };

/** What a pending user is told by every page (via /pending), route and action. */
export const PENDING_MESSAGE = "Your account is waiting for approval: an admin must approve your access before you can use Pullkeeper.";

/** The session in these request headers: who, and whether they are still pending; null without a valid session. */
export async function accessFromHeaders(requestHeaders: Headers): Promise<SessionAccess | null> {
  if (!requestHeaders.get("cookie")) return null;
  const { auth } = await authService();
  const session = await auth.api.getSession({ headers: requestHeaders });
  if (!session) return null;
  if (isPendingUser(session.user)) return { kind: "pending", email: session.user.email, name: session.user.name || session.user.email };
  const user = toSessionUser(session.user);
  return user ? { kind: "user", user } : null;
}

/** The session of this request, once per request. */
export const currentAccess = cache(async (): Promise<SessionAccess | null> => accessFromHeaders(new Headers(await headers())));

/**
 * The user whose valid session cookie is in these request headers, or null.
 * The session row is read on every call (no cookie cache), so expiry, sign-out,
 * deactivation and role changes take effect on the next request.
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
