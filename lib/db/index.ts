import "server-only";
import { env } from "@/lib/env";
import { serverRoot } from "@/lib/server/root";
import type { DatabaseConnection } from "./client";
import { describeDatabaseUrl, parseDatabaseUrl } from "./database-url";

export type { DatabaseConnection, PrismaDatabase } from "./client";
export { PendingMigrationsError } from "./pending-migrations";

/** The process's database (held by the composition root): opened once, then shared. */
export function database(): Promise<DatabaseConnection> {
  return serverRoot().database();
}

export function databaseDescription(): string {
  return describeDatabaseUrl(parseDatabaseUrl(env().DATABASE_URL));
}
