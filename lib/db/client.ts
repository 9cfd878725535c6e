import "server-only";
import { PrismaClient as PostgresPrismaClient } from "@/lib/generated/postgresql/client";
import { PrismaClient as SqlitePrismaClient } from "@/lib/generated/sqlite/client";
import { createAdapterFactory } from "./adapter";
import { authWriteSignalExtension } from "./auth-writes";
import type { DatabaseProvider, DatabaseTarget } from "./database-url";

/**
 * Both generated clients come from the same models (prisma/models.prisma), so
 * they share one shape; the SQLite client's type stands for both.
 */
export type PrismaDatabase = InstanceType<typeof SqlitePrismaClient>;

export interface DatabaseConnection {
  prisma: PrismaDatabase;
  provider: DatabaseProvider;
  close(): Promise<void>;
}

export async function connectDatabase(target: DatabaseTarget): Promise<DatabaseConnection> {
  const adapter = createAdapterFactory(target);
  // Every write to users, sessions or accounts empties the session cache (lib/db/auth-writes.ts).
  const prisma =
    target.provider === "sqlite"
      ? (new SqlitePrismaClient({ adapter }).$extends(authWriteSignalExtension) as unknown as PrismaDatabase)
      : (new PostgresPrismaClient({ adapter }).$extends(authWriteSignalExtension) as unknown as PrismaDatabase);
  if (target.provider === "sqlite") {
    // WAL lets the audit log be read while a workflow writes its steps.
    await prisma.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    await prisma.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
  }
  return { prisma, provider: target.provider, close: () => prisma.$disconnect() };
}
