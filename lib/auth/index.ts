import "server-only";

/**
 * Access control for pages, route handlers, server actions and data access.
 * `can`/`assertCan` are pure (permissions.ts, also importable from client
 * components); the rest reads the session from the request.
 */
export {
  AuthError,
  ForbiddenError,
  GLOBAL_PERMISSIONS,
  PERMISSION_LABELS,
  PERMISSIONS,
  ROLE_LABELS,
  ROLE_PERMISSIONS,
  ROLES,
  assertCan,
  can,
  isPermission,
  isRole,
  permissionsOf,
  visibleClusters,
  type AuthErrorKind,
  type Permission,
  type PermissionScope,
  type Role,
  type SessionUser,
} from "./permissions";
export { currentUser, requireUser, requestPath, userFromHeaders } from "./session";
export { withUser, type AuthenticatedHandler, type WithUserOptions } from "./route";
export { recordAccessDenied, type DeniedAttempt } from "./denials";
export { authService, ensureFirstRunSetup, type AuthService } from "./service";
export { safeNextPath, signInUrl, FORBIDDEN_PATH, SIGN_IN_PATH, SETUP_PATH } from "./paths";
