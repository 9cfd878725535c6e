import "server-only";
import fs from "node:fs";
import path from "node:path";
import type { MigrationList } from "@prisma/schema-engine-wasm";
import { createAdapterFactory } from "./adapter";
import type { DatabaseProvider, DatabaseTarget } from "./database-url";
import { openSchemaEngine } from "./schema-engine";
import { PullkeeperError } from "@/lib/errors";

const noFilters = { externalTables: [], externalEnums: [] };

export interface MigrationPaths {
  schemaDir: string;
  migrationsDir: string;
}

/** Where a provider's schema and migrations live, relative to the project root. */
export function migrationPaths(provider: DatabaseProvider, projectRoot: string = process.cwd()): MigrationPaths {
  return {
    schemaDir: path.join(projectRoot, "prisma", provider),
    migrationsDir: path.join(projectRoot, "prisma", "migrations", provider),
  };
}

export function readSchemaFiles(schemaDir: string): Array<[string, string]> {
  return fs
    .readdirSync(schemaDir)
    .filter((name) => name.endsWith(".prisma"))
    .sort()
    .map((name) => [name, fs.readFileSync(path.join(schemaDir, name), "utf8")]);
}

/** Reads prisma/migrations/<provider> the way `prisma migrate deploy` does. */
export function readMigrationList(migrationsDir: string): MigrationList {
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  const directories = fs.existsSync(migrationsDir)
    ? fs
        .readdirSync(migrationsDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
    : [];
  return {
    baseDir: migrationsDir,
    lockfile: {
      path: "migration_lock.toml",
      content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : null,
    },
    shadowDbInitScript: "",
    migrationDirectories: directories.map((name) => {
      const file = path.join(migrationsDir, name, "migration.sql");
      return {
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: fs.existsSync(file)
            ? { tag: "ok" as const, value: fs.readFileSync(file, "utf8") }
            : { tag: "error" as const, value: `missing ${file}` },
        },
      };
    }),
  };
}

/** The schema engine could not bring the database forward; `engineLog` is its output, for the server log. */
export class MigrationError extends PullkeeperError {
  override name = "MigrationError";
  constructor(message: string, readonly engineLog: string[]) {
    super("config", "precondition_failed", message);
  }
}

/**
 * Applies every pending migration; a second call applies none. Records them in
 * `_prisma_migrations` with the same checksums `prisma migrate deploy` writes.
 */
export async function applyPendingMigrations(
  target: DatabaseTarget,
  projectRoot: string = process.cwd(),
): Promise<{ applied: string[] }> {
  const paths = migrationPaths(target.provider, projectRoot);
  const { engine, logs, close } = await openSchemaEngine(readSchemaFiles(paths.schemaDir), createAdapterFactory(target));
  try {
    const result = await engine.applyMigrations({
      migrationsList: readMigrationList(paths.migrationsDir),
      filters: noFilters,
    });
    return { applied: result.appliedMigrationNames };
  } catch (error) {
    throw new MigrationError(`applying migrations failed: ${errorText(error)}`, logs);
  } finally {
    await close();
  }
}

/**
 * The SQL that turns a database at `fromSchemaFiles` (null: empty) into one at the
 * current schema, as `prisma migrate diff --script` prints it. Diffing two
 * datamodels needs no shadow database, which matters because the Wasm engine
 * cannot introspect PostgreSQL catalogs through the pg adapter. Empty when
 * nothing changed.
 */
export async function diffSchemaToCurrent(
  target: DatabaseTarget,
  fromSchemaFiles: Array<[string, string]> | null,
  projectRoot: string = process.cwd(),
): Promise<string> {
  const paths = migrationPaths(target.provider, projectRoot);
  const schemaFiles = readSchemaFiles(paths.schemaDir);
  const asTarget = (files: Array<[string, string]>) => ({
    tag: "schemaDatamodel" as const,
    files: files.map(([name, content]) => ({ path: name, content })),
  });
  const { engine, logs, close } = await openSchemaEngine(schemaFiles, createAdapterFactory(target));
  try {
    const result = await engine.diff({
      from: fromSchemaFiles ? asTarget(fromSchemaFiles) : { tag: "empty" },
      to: asTarget(schemaFiles),
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    const sql = result.stdout ?? "";
    return sql.includes("This is an empty migration.") ? "" : sql;
  } catch (error) {
    throw new MigrationError(`computing the migration diff failed: ${errorText(error)}`, logs);
  } finally {
    await close();
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error && "message" in error) return String((error as { message: unknown }).message);
  return String(error);
}
