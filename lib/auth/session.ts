import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { recordAccessDenied } from "./denials";
import { FORBIDDEN_PATH, PATH_HEADER, signInUrl } from "./paths";
import { can, type Permission, type PermissionScope, type SessionUser } from "./permissions";
import { authService } from "./service";
import { toSessionUser } from "./users";

/**
 * The user whose valid session cookie is in these request headers, or null.
 * The session row is read on every call (no cookie cache), so expiry, sign-out,
 * deactivation and role changes take effect on the next request.
 */
export async function userFromHeaders(requestHeaders: Headers): Promise<SessionUser | null> {
  if (!requestHeaders.get("cookie")) return null;
  const { auth } = await authService();
  const session = await auth.api.getSession({ headers: requestHeaders });
  return session ? toSessionUser(session.user) : null;
}

/** The signed-in user, for server components, route handlers and actions; once per request. */
export const currentUser = cache(async (): Promise<SessionUser | null> => userFromHeaders(new Headers(await headers())));

/** The path being rendered, as the proxy recorded it (only used to come back after sign-in). */
export async function requestPath(): Promise<string> {
  return (await headers()).get(PATH_HEADER) ?? "/";
}

/**
 * For pages: the signed-in user holding `permission` (on `scope.cluster`).
 * Anonymous → redirect to /sign-in?next=…; lacking the permission → the denial
 * is audited and the person lands on /forbidden. Call it first, before any data access.
 */
export async function requireUser(permission?: Permission, scope?: PermissionScope): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(signInUrl(await requestPath()));
  if (permission && !can(user, permission, scope)) {
    await recordAccessDenied({ user, permission, target: await requestPath(), via: "page", ...(scope?.cluster ? { cluster: scope.cluster } : {}) });
    const query = new URLSearchParams({ permission, ...(scope?.cluster ? { cluster: scope.cluster } : {}) });
    redirect(`${FORBIDDEN_PATH}?${query.toString()}`);
  }
  return user;
}
