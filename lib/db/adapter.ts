import "server-only";
import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { DatabaseTarget } from "./database-url";

/** Builds the Prisma driver adapter for the target; creates the SQLite folder when missing. */
export function createAdapterFactory(target: DatabaseTarget): SqlMigrationAwareDriverAdapterFactory {
  if (target.provider === "sqlite") {
    if (target.sqliteFile && target.sqliteFile !== ":memory:") {
      fs.mkdirSync(path.dirname(target.sqliteFile), { recursive: true });
    }
    return new PrismaBetterSqlite3({ url: target.url, timeout: 5000 });
  }
  return new PrismaPg({ connectionString: target.url, max: 10 });
}
