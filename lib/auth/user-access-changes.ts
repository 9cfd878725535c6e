import "server-only";
import type { PrismaDatabase } from "@/lib/db/client";
import { PENDING_ROLE } from "./oidc-groups";
import { AuthError } from "./permissions";
import { serializeClusters, type UserRow, type UserRows } from "./user-rows";
import type { UserDirectory } from "./users";

type AccessChanges = Pick<UserDirectory, "changeRole" | "approve" | "setClusters" | "deactivate" | "reactivate">;

/** Role, cluster limit and activation changes, each refused if it would leave no active admin able to manage users. */
export function userAccessChanges(prisma: PrismaDatabase, { summaryOf, load }: UserRows): AccessChanges {
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

  return {
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
