import "server-only";
import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { DatabaseTarget } from "./database-url";
import { withStatementCache } from "./sqlite-statements";

/**
 * Builds the Prisma driver adapter for the target. For SQLite, creates the folder
 * (0700) and an empty database file (0600) when missing: the file holds password
 * hashes, sessions and the audit log, and SQLite gives its WAL and shared-memory
 * files the database file's mode.
 */
export function createAdapterFactory(target: DatabaseTarget): SqlMigrationAwareDriverAdapterFactory {
  if (target.provider === "sqlite") {
    if (target.sqliteFile && target.sqliteFile !== ":memory:") {
      fs.mkdirSync(path.dirname(target.sqliteFile), { recursive: true, mode: 0o700 });
      fs.closeSync(fs.openSync(target.sqliteFile, "a", 0o600));
      // A file an older version created 0644 is tightened too.
      fs.chmodSync(target.sqliteFile, 0o600);
    }
    return withStatementCache(new PrismaBetterSqlite3({ url: target.url, timeout: 5000 }));
  }
  return new PrismaPg({ connectionString: target.url, max: 10 });
}
