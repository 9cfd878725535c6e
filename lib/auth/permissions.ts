/**
 * The permission map: which role may do what, and on which clusters. Pure and
 * free of server imports so server actions, data access and client components
 * (to hide what a role cannot do) all decide from the same table.
 */

import { isPullkeeperError, PullkeeperError, type PullkeeperErrorLike } from "@/lib/errors";

export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "coverage.read",
  "secrets.read",
  "audit.read",
  "audit.export",
  "workflow.plan",
  "workflow.apply",
  "users.manage",
  "settings.manage",
  "rules.operate",
  "rules.manage",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** null = all clusters */
  clusters: string[] | null;
}

export interface PermissionScope {
  cluster?: string;
}

const VIEWER: readonly Permission[] = ["coverage.read", "secrets.read", "audit.read"];
const OPERATOR: readonly Permission[] = [...VIEWER, "audit.export", "workflow.plan", "workflow.apply", "rules.operate"];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  viewer: VIEWER,
  operator: OPERATOR,
  admin: PERMISSIONS,
};

/**
 * Permissions about the whole installation rather than one cluster. A user
 * limited to some clusters never holds them: managing users would let them lift
 * their own limit, and settings and keeping rules apply to every cluster.
 */
export const GLOBAL_PERMISSIONS: readonly Permission[] = ["users.manage", "settings.manage", "rules.manage"];

/** What each permission lets a person do, for messages and the admin page. */
export const PERMISSION_LABELS: Readonly<Record<Permission, string>> = {
  "coverage.read": "read pull-secret coverage",
  "secrets.read": "read pull-secret metadata",
  "audit.read": "read the audit log",
  "audit.export": "export the audit log",
  "workflow.plan": "plan workflows",
  "workflow.apply": "apply workflows",
  "users.manage": "manage users and roles",
  "settings.manage": "change settings",
  "rules.operate": "pause and resume keeping rules and decide their conflicts",
  "rules.manage": "create, edit and delete keeping rules",
};

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  viewer: "Viewer",
  operator: "Operator",
  admin: "Admin",
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function isPermission(value: unknown): value is Permission {
  return typeof value === "string" && (PERMISSIONS as readonly string[]).includes(value);
}

/**
 * Whether the user holds the permission, on `scope.cluster` when given. Without a
 * cluster, a cluster-limited user still holds cluster-scoped permissions: the data
 * access narrows what they see with `visibleClusters`.
 */
export function can(user: SessionUser, permission: Permission, scope?: PermissionScope): boolean {
  if (!ROLE_PERMISSIONS[user.role]?.includes(permission)) return false;
  if (GLOBAL_PERMISSIONS.includes(permission)) return user.clusters === null;
  if (scope?.cluster !== undefined && user.clusters !== null) return user.clusters.includes(scope.cluster);
  return true;
}

export type AuthErrorKind = "unauthorized" | "forbidden" | "invalid" | "conflict" | "not_found" | "rate_limited" | "unavailable";

/** Every failure of access control and of the user directory. Messages are written for the person who was refused and name no credential. */
export class AuthError extends PullkeeperError {
  override name = "AuthError";
  declare readonly kind: AuthErrorKind;

  constructor(kind: AuthErrorKind, message: string, fieldErrors?: Record<string, string[]>) {
    super("auth", kind, message, fieldErrors ? { fieldErrors } : {});
  }
}

/** Thrown by `assertCan`; carries what was refused so the denial can be audited. */
export class ForbiddenError extends AuthError {
  override name = "ForbiddenError";
  readonly permission: Permission;
  readonly cluster?: string;
  readonly actor: string;
  readonly actorRole: Role;

  constructor(user: SessionUser, permission: Permission, scope?: PermissionScope) {
    super("forbidden", forbiddenMessage(user, permission, scope));
    this.permission = permission;
    this.actor = user.email;
    this.actorRole = user.role;
    if (scope?.cluster !== undefined) this.cluster = scope.cluster;
  }
}

/** A refusal by `assertCan`, recognised by its fields whichever bundle made it (see lib/errors). */
export function isForbiddenError(error: unknown): error is PullkeeperErrorLike & Pick<ForbiddenError, "permission" | "cluster"> {
  if (!isPullkeeperError(error, "auth", "forbidden")) return false;
  const { permission, cluster } = error as { permission?: unknown; cluster?: unknown };
  return (PERMISSIONS as readonly unknown[]).includes(permission) && (cluster === undefined || typeof cluster === "string");
}

export function forbiddenMessage(user: SessionUser, permission: Permission, scope?: PermissionScope): string {
  const what = PERMISSION_LABELS[permission];
  if (ROLE_PERMISSIONS[user.role]?.includes(permission)) {
    if (GLOBAL_PERMISSIONS.includes(permission)) {
      return `Your account is limited to some clusters, so it cannot ${what}. Ask an admin.`;
    }
    return `Your account cannot ${what} on cluster ${scope?.cluster ?? "(unknown)"}. Ask an admin to add the cluster to your access.`;
  }
  return `The ${ROLE_LABELS[user.role].toLowerCase()} role cannot ${what}. Ask an admin for a role that can.`;
}

/** Throws ForbiddenError unless `can(user, permission, scope)`. */
export function assertCan(user: SessionUser, permission: Permission, scope?: PermissionScope): void {
  if (!can(user, permission, scope)) throw new ForbiddenError(user, permission, scope);
}

/** The clusters among `all` the user may see (for list pages and queries). */
export function visibleClusters<T extends string>(user: SessionUser, all: readonly T[]): T[] {
  return user.clusters === null ? [...all] : all.filter((cluster) => user.clusters?.includes(cluster));
}

/** Every permission the user holds somewhere, for the UI to hide or disable controls. */
export function permissionsOf(user: SessionUser): Permission[] {
  return PERMISSIONS.filter((permission) => can(user, permission));
}
