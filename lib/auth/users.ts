import "server-only";
import type { PrismaDatabase } from "@/lib/db/client";
import { passwordProblems } from "./password-policy";
import { PENDING_ROLE } from "./oidc-groups";
import { AuthError, isRole, type Role, type SessionUser } from "./permissions";
import type { PullkeeperAuth } from "./server";

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

/** Field-level problems a form can show next to its inputs. */
export class UserInputError extends AuthError {
  override name = "UserInputError";
  declare readonly fieldErrors: Record<string, string[]>;

  constructor(message: string, fieldErrors: Record<string, string[]>) {
    super("invalid", message, fieldErrors);
  }
}

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

type UserRow = Awaited<ReturnType<PrismaDatabase["user"]["findFirstOrThrow"]>>;

export function parseClusters(value: string | null | undefined): string[] | null {
  if (value === null || value === undefined || value === "") return null;
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed)) return parsed.filter((item): item is string => typeof item === "string");
  } catch {
    // A damaged value must not widen access: treat it as "no cluster".
  }
  return [];
}

export function serializeClusters(clusters: string[] | null): string | null {
  if (clusters === null) return null;
  return JSON.stringify([...new Set(clusters.map((cluster) => cluster.trim()).filter(Boolean))].sort());
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

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function createUserDirectory(prisma: PrismaDatabase, auth: PullkeeperAuth): UserDirectory {
  const summaryOf = async (row: UserRow): Promise<UserSummary> => {
    const accounts = await prisma.account.findMany({ where: { userId: row.id }, select: { providerId: true } });
    const methods = new Set<"password" | "sso">(accounts.map((account) => (account.providerId === "credential" ? "password" : "sso")));
    return {
      id: row.id,
      email: row.email,
      name: row.name,
      role: isRole(row.role) ? row.role : "viewer",
      clusters: parseClusters(row.clusters),
      active: row.deactivatedAt === null,
      pending: row.role === PENDING_ROLE,
      signInMethods: [...methods].sort(),
      createdAt: row.createdAt.toISOString(),
    };
  };

  const load = async (id: string): Promise<UserRow> => {
    const row = await prisma.user.findUnique({ where: { id } });
    if (!row) throw new AuthError("not_found", "That user no longer exists.");
    return row;
  };

  /** Refuses a change that would leave no active admin able to manage users. */
  const keepAnAdmin = async (row: UserRow, after: { role: string; clusters: string | null; deactivatedAt: Date | null }) => {
    const managesNow = row.role === "admin" && row.clusters === null && row.deactivatedAt === null;
    const managesAfter = after.role === "admin" && after.clusters === null && after.deactivatedAt === null;
    if (!managesNow || managesAfter) return;
    const others = await prisma.user.count({
      where: { id: { not: row.id }, role: "admin", clusters: null, deactivatedAt: null },
    });
    if (others === 0) {
      throw new AuthError("conflict", "This is the last admin with access to every cluster; make someone else an admin first.");
    }
  };

  const update = async (row: UserRow, data: { role?: string; clusters?: string | null; deactivatedAt?: Date | null }) => {
    await keepAnAdmin(row, {
      role: data.role ?? row.role,
      clusters: data.clusters === undefined ? row.clusters : data.clusters,
      deactivatedAt: data.deactivatedAt === undefined ? row.deactivatedAt : data.deactivatedAt,
    });
    return summaryOf(await prisma.user.update({ where: { id: row.id }, data: { ...data, updatedAt: new Date() } }));
  };

  const hashPassword = async (password: string, context: { email: string; name: string }) => {
    const problems = passwordProblems(password, context);
    if (problems.length > 0) throw new UserInputError("The password does not meet the policy.", { password: problems });
    return (await auth.$context).password.hash(password);
  };

  return {
    count: () => prisma.user.count(),

    async list() {
      const rows = await prisma.user.findMany({ orderBy: [{ email: "asc" }] });
      return Promise.all(rows.map(summaryOf));
    },

    async get(id) {
      const row = await prisma.user.findUnique({ where: { id } });
      return row ? summaryOf(row) : null;
    },

    async findByEmail(email) {
      const row = await prisma.user.findUnique({ where: { email: normaliseEmail(email) } });
      return row ? summaryOf(row) : null;
    },

    async createLocalUser(input) {
      const email = normaliseEmail(input.email);
      const name = input.name.trim() || email;
      if (await prisma.user.findUnique({ where: { email }, select: { id: true } })) {
        throw new UserInputError("A user with that email already exists.", { email: ["A user with that email already exists."] });
      }
      const hash = await hashPassword(input.password, { email, name });
      const context = await auth.$context;
      // The admin vouches for the address, which lets the same person later link single sign-on by email.
      const user = await context.internalAdapter.createUser(
        { email, name, emailVerified: true, role: input.role, clusters: serializeClusters(input.clusters) },
        { method: "admin" },
      );
      await context.internalAdapter.linkAccount({ userId: user.id, providerId: "credential", accountId: user.id, password: hash });
      return summaryOf(await load(user.id));
    },

    async setPassword(id, password) {
      const row = await load(id);
      const hash = await hashPassword(password, { email: row.email, name: row.name });
      const credential = await prisma.account.findFirst({ where: { userId: id, providerId: "credential" } });
      if (credential) {
        await prisma.account.update({ where: { id: credential.id }, data: { password: hash, updatedAt: new Date() } });
      } else {
        await (await auth.$context).internalAdapter.linkAccount({ userId: id, providerId: "credential", accountId: id, password: hash });
      }
      await prisma.session.deleteMany({ where: { userId: id } });
    },

    async changeRole(id, role) {
      return update(await load(id), { role });
    },

    async approve(id, role, clusters) {
      const row = await load(id);
      if (row.role !== PENDING_ROLE) throw new AuthError("conflict", "This user is not waiting for approval; change their role instead.");
      return update(row, { role, clusters: serializeClusters(clusters) });
    },

    async setClusters(id, clusters) {
      return update(await load(id), { clusters: serializeClusters(clusters) });
    },

    async deactivate(id) {
      const row = await load(id);
      const summary = await update(row, { deactivatedAt: row.deactivatedAt ?? new Date() });
      await prisma.session.deleteMany({ where: { userId: id } });
      return summary;
    },

    async reactivate(id) {
      return update(await load(id), { deactivatedAt: null });
    },
  };
}
