import "server-only";
import { randomUUID } from "node:crypto";
import type { PrismaDatabase } from "@/lib/db/client";
import type { FailureLog } from "./throttle";

/**
 * The sign-in failure log in the `auth_sign_in_failure` table, shared by every
 * server process on the database. Writes are plain inserts and deletes, so two
 * replicas recording at once both count; reads go through the (key, failedAt) index.
 */
export function databaseFailureLog(prisma: PrismaDatabase): FailureLog {
  return {
    async newest(key, since, limit) {
      const rows = await prisma.signInFailure.findMany({
        where: { key, failedAt: { gt: new Date(since) } },
        orderBy: { failedAt: "desc" },
        take: limit,
        select: { failedAt: true },
      });
      return rows.map((row) => row.failedAt.getTime());
    },

    async add(keys, at) {
      const failedAt = new Date(at);
      await prisma.signInFailure.createMany({ data: keys.map((key) => ({ id: randomUUID(), key, failedAt })) });
    },

    async clear(key) {
      await prisma.signInFailure.deleteMany({ where: { key } });
    },

    async prune(cutoff) {
      await prisma.signInFailure.deleteMany({ where: { failedAt: { lte: new Date(cutoff) } } });
    },
  };
}
