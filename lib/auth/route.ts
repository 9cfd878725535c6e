import "server-only";
import { recordAccessDenied } from "./denials";
import { allowedOriginHosts, isSameOriginRequest } from "./origin";
import { can, ForbiddenError, isForbiddenError, type Permission, type PermissionScope, type SessionUser } from "./permissions";
import { accessFromHeaders, PENDING_MESSAGE } from "./session";

export type AuthenticatedHandler<C> = (request: Request, context: C & { user: SessionUser }) => Promise<Response> | Response;

export interface WithUserOptions<C> {
  /** The cluster the request is about, when the permission is cluster-scoped (e.g. from the route params). */
  scope?: (request: Request, context: C) => PermissionScope | Promise<PermissionScope>;
  /** A state-changing route: refuse (403) a request whose Origin is not this server, as server actions do. */
  sameOrigin?: boolean;
}

const json = (status: number, body: Record<string, unknown>) =>
  Response.json(body, { status, headers: { "Cache-Control": "no-store" } });

/**
 * Wraps a route handler: 401 JSON for a request without a valid session, 403
 * JSON for a user pending approval, 403 JSON (and an audited denial) for a user without the permission or for a
 * ForbiddenError thrown by the data access inside; otherwise runs the handler with the user.
 */
export function withUser<C = { params: Promise<Record<string, string | string[]>> }>(
  permission: Permission,
  handler: AuthenticatedHandler<C>,
  options: WithUserOptions<C> = {},
): (request: Request, context: C) => Promise<Response> {
  return async (request, context) => {
    const access = await accessFromHeaders(request.headers);
    if (!access) return json(401, { error: "Sign in to use this API.", kind: "unauthorized" });
    if (access.kind === "pending") return json(403, { error: PENDING_MESSAGE, kind: "forbidden" });
    const user = access.user;
    if (options.sameOrigin && !isSameOriginRequest(request, allowedOriginHosts())) {
      return json(403, { error: "Refused: this request did not come from a Pullkeeper page (Origin check).", kind: "forbidden" });
    }
    const scope = options.scope ? await options.scope(request, context) : undefined;
    const target = new URL(request.url).pathname;
    if (!can(user, permission, scope)) {
      await recordAccessDenied({ user, permission, target, via: "route", ...(scope?.cluster ? { cluster: scope.cluster } : {}) });
      return json(403, { error: new ForbiddenError(user, permission, scope).message, kind: "forbidden" });
    }
    try {
      return await handler(request, { ...context, user });
    } catch (error) {
      if (!isForbiddenError(error)) throw error;
      await recordAccessDenied({ user, permission: error.permission, target, via: "route", ...(error.cluster ? { cluster: error.cluster } : {}) });
      return json(403, { error: error.message, kind: "forbidden" });
    }
  };
}
