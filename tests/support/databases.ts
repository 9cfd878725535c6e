import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { connectDatabase, type DatabaseConnection } from "@/lib/db/client";
import { parseDatabaseUrl, type DatabaseProvider, type DatabaseTarget } from "@/lib/db/database-url";
import { applyPendingMigrations } from "@/lib/db/migrations";

/** Where integration tests create throwaway PostgreSQL databases (CI: the local server). */
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export const PROVIDERS: DatabaseProvider[] = ["sqlite", "postgresql"];

export interface ScratchDatabase {
  target: DatabaseTarget;
  /** For SQLite, the database file (to inspect its bytes). */
  file?: string;
  drop(): Promise<void>;
}

/** A new empty database of the provider, dropped by `drop()`. */
export async function createScratchDatabase(provider: DatabaseProvider): Promise<ScratchDatabase> {
  if (provider === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pullkeeper-test-"));
    const file = path.join(dir, "audit.db");
    return {
      target: parseDatabaseUrl(`file:${file}`),
      file,
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `pullkeeper_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    target: parseDatabaseUrl(url.toString()),
    drop: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface MigratedDatabase {
  scratch: ScratchDatabase;
  connection: DatabaseConnection;
}

/** A scratch database with every migration applied, connected. */
export async function createMigratedDatabase(provider: DatabaseProvider): Promise<MigratedDatabase> {
  const scratch = await createScratchDatabase(provider);
  await applyPendingMigrations(scratch.target);
  const connection = await connectDatabase(scratch.target);
  return { scratch, connection };
}

/**
 * A migrated scratch database for the enclosing `describe`: created in `beforeAll`, closed and dropped in
 * `afterAll`. Read `scratch` and `connection` in hooks and tests (they throw before the database exists). Hooks
 * registered after this call run after it is created and, as Vitest stacks `afterAll`, before it is dropped.
 */
export function useMigratedDatabase(provider: DatabaseProvider): MigratedDatabase {
  let database: MigratedDatabase | undefined;
  beforeAll(async () => {
    database = await createMigratedDatabase(provider);
  });
  afterAll(async () => {
    await database?.connection.close();
    await database?.scratch.drop();
  });
  const current = () => {
    if (!database) throw new Error(`the ${provider} scratch database is not created yet: read it in a hook or a test`);
    return database;
  };
  return {
    get scratch() {
      return current().scratch;
    },
    get connection() {
      return current().connection;
    },
  };
}
