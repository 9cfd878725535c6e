import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createPrismaAuditStore } from "@/lib/audit/prisma-audit-store";
import { connectDatabase } from "@/lib/db/client";
import { applyPendingMigrations, migrationPaths } from "@/lib/db/migrations";
import { PROVIDERS, createScratchDatabase, type ScratchDatabase } from "../support/databases";

const repoRoot = path.resolve(import.meta.dirname, "../..");

/** A copy of the project's prisma/ folder holding only the first `keep` migrations of the provider. */
function projectWithMigrations(provider: "sqlite" | "postgresql", keep: number): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pullkeeper-migrations-"));
  const source = migrationPaths(provider, repoRoot);
  const target = migrationPaths(provider, root);
  fs.mkdirSync(target.schemaDir, { recursive: true });
  for (const file of fs.readdirSync(source.schemaDir)) {
    fs.writeFileSync(path.join(target.schemaDir, file), fs.readFileSync(path.join(source.schemaDir, file)));
  }
  fs.mkdirSync(target.migrationsDir, { recursive: true });
  fs.copyFileSync(path.join(source.migrationsDir, "migration_lock.toml"), path.join(target.migrationsDir, "migration_lock.toml"));
  for (const name of allMigrations(provider).slice(0, keep)) {
    fs.cpSync(path.join(source.migrationsDir, name), path.join(target.migrationsDir, name), { recursive: true });
  }
  return root;
}

function allMigrations(provider: "sqlite" | "postgresql"): string[] {
  return fs
    .readdirSync(migrationPaths(provider, repoRoot).migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

describe.each(PROVIDERS)("migrations on %s", (provider) => {
  let scratch: ScratchDatabase | undefined;
  afterEach(async () => {
    await scratch?.drop();
  });

  it("applies every migration once; a second run changes nothing", async () => {
    scratch = await createScratchDatabase(provider);
    const first = await applyPendingMigrations(scratch.target, repoRoot);
    expect(first.applied).toEqual(allMigrations(provider));
    const second = await applyPendingMigrations(scratch.target, repoRoot);
    expect(second.applied).toEqual([]);
    const connection = await connectDatabase(scratch.target);
    const rows = await connection.prisma.$queryRawUnsafe<Array<{ migration_name: string; checksum: string }>>(
      'SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name',
    );
    await connection.close();
    expect(rows.map((row) => row.migration_name)).toEqual(allMigrations(provider));
    expect(rows.every((row) => /^[0-9a-f]{64}$/.test(row.checksum))).toBe(true);
  });

  it("brings a database at an older migration forward without losing its rows", async () => {
    scratch = await createScratchDatabase(provider);
    const migrations = allMigrations(provider);
    const older = projectWithMigrations(provider, 1);
    expect((await applyPendingMigrations(scratch.target, older)).applied).toEqual(migrations.slice(0, 1));

    // Written with SQL of the first migration's shape, as an older Pullkeeper would have.
    const connection = await connectDatabase(scratch.target);
    await connection.prisma.$executeRawUnsafe(
      `INSERT INTO "AuditOperation" ("id", "kind", "actor", "status", "startedAt") VALUES ('kept-1', 'copy_pull_secrets', 'old-version', 'succeeded', '2025-01-01T00:00:00.000Z')`,
    );
    await connection.close();

    const forward = await applyPendingMigrations(scratch.target, repoRoot);
    expect(forward.applied).toEqual(migrations.slice(1));
    const reopened = await connectDatabase(scratch.target);
    const kept = await reopened.prisma.auditOperation.findUnique({ where: { id: "kept-1" } });
    // The search index covers the operations written before it existed.
    const found = await createPrismaAuditStore(reopened.prisma, reopened.provider).listOperations({ text: "OLD-VERS" }, { limit: 5 });
    await reopened.close();
    expect(kept?.actor).toBe("old-version");
    expect(found.items.map((item) => item.id)).toEqual(["kept-1"]);
    fs.rmSync(older, { recursive: true, force: true });
  });
});
