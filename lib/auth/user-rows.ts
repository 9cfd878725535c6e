import "server-only";
import type { PrismaDatabase } from "@/lib/db/client";
import { PENDING_ROLE } from "./oidc-groups";
import { AuthError, isRole } from "./permissions";
import type { UserSummary } from "./users";

export type UserRow = Awaited<ReturnType<PrismaDatabase["user"]["findFirstOrThrow"]>>;

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

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export interface UserRows {
  /** The admin page's view of a row, with the ways the user can sign in. */
  summaryOf(row: UserRow): Promise<UserSummary>;
  /** The row, or AuthError("not_found"). */
  load(id: string): Promise<UserRow>;
}

export function userRows(prisma: PrismaDatabase): UserRows {
  return {
    async summaryOf(row) {
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
    },

    async load(id) {
      const row = await prisma.user.findUnique({ where: { id } });
      if (!row) throw new AuthError("not_found", "That user no longer exists.");
      return row;
    },
  };
}
