import "server-only";
import type { PrismaDatabase } from "@/lib/db/client";
import { PENDING_ROLE } from "./oidc-groups";
import { isRole, type Role, type SessionUser } from "./permissions";
import type { PullkeeperAuth } from "./server";
import { userAccessChanges } from "./user-access-changes";
import { userCredentials } from "./user-credentials";
import { normaliseEmail, parseClusters, userRows } from "./user-rows";

/** A user as the admin page shows it: no password hash, no provider tokens. */
export interface UserSummary {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** null = all clusters */
  clusters: string[] | null;
  active: boolean;
  /** Signed in through single sign-on with no mapped group: no access until an admin approves (role shown is meaningless). */
  pending: boolean;
  /** How the user can sign in: "password" (local account) and/or "sso". */
  signInMethods: Array<"password" | "sso">;
  createdAt: string;
}

export interface NewLocalUser {
  email: string;
  name: string;
  role: Role;
  clusters: string[] | null;
  password: string;
}

export { UserInputError } from "./user-input-error";

/**
 * Users, roles and cluster limits. Never leaves the installation without an
 * active admin who can reach every cluster, so nobody can lock everyone out.
 */
export interface UserDirectory {
  count(): Promise<number>;
  list(): Promise<UserSummary[]>;
  get(id: string): Promise<UserSummary | null>;
  findByEmail(email: string): Promise<UserSummary | null>;
  /** Throws UserInputError (weak password, taken email). */
  createLocalUser(input: NewLocalUser): Promise<UserSummary>;
  /** Replaces the user's local password (creating the local account if they only had single sign-on) and signs them out everywhere. */
  setPassword(id: string, password: string): Promise<void>;
  changeRole(id: string, role: Role): Promise<UserSummary>;
  /** Gives a pending user a role and cluster limit in one change (no moment with every cluster). */
  approve(id: string, role: Role, clusters: string[] | null): Promise<UserSummary>;
  setClusters(id: string, clusters: string[] | null): Promise<UserSummary>;
  /** Blocks sign-in and revokes every session of the user at once. */
  deactivate(id: string): Promise<UserSummary>;
  reactivate(id: string): Promise<UserSummary>;
}

/** A single sign-on user no mapped group grants a role, waiting for an admin to approve (or deactivate) them. */
export function isPendingUser(row: { role?: unknown; deactivatedAt?: unknown }): boolean {
  return row.role === PENDING_ROLE && !row.deactivatedAt;
}

/** The signed-in user as the permission map sees it; null for a deactivated or unknown-role user. */
export function toSessionUser(row: { id: string; email: string; name: string; role?: unknown; clusters?: unknown; deactivatedAt?: unknown }): SessionUser | null {
  if (row.deactivatedAt) return null;
  if (!isRole(row.role)) return null;
  return {
    id: row.id,
    email: row.email,
    name: row.name || row.email,
    role: row.role,
    clusters: parseClusters(typeof row.clusters === "string" ? row.clusters : null),
  };
}

/** Users, roles and cluster limits over the auth tables: reads here, credentials and access changes in their own modules. */
export function createUserDirectory(prisma: PrismaDatabase, auth: PullkeeperAuth): UserDirectory {
  const rows = userRows(prisma);
  return {
    count: () => prisma.user.count(),

    async list() {
      const all = await prisma.user.findMany({ orderBy: [{ email: "asc" }] });
      return Promise.all(all.map(rows.summaryOf));
    },

    async get(id) {
      const row = await prisma.user.findUnique({ where: { id } });
      return row ? rows.summaryOf(row) : null;
    },

    async findByEmail(email) {
      const row = await prisma.user.findUnique({ where: { email: normaliseEmail(email) } });
      return row ? rows.summaryOf(row) : null;
    },

    ...userCredentials(prisma, auth, rows),
    ...userAccessChanges(prisma, rows),
  };
}
