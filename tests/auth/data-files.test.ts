/**
 * The database holds password hashes, sessions and the audit log: a SQLite file
 * Pullkeeper creates is readable by its owner only, in a folder only its owner
 * can enter; the demo's server log likewise.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { connectDatabase } from "@/lib/db/client";
import { parseDatabaseUrl } from "@/lib/db/database-url";
import { applyPendingMigrations } from "@/lib/db/migrations";

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe("files holding secrets", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pullkeeper-perms-"));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("creates the SQLite folder 0700 and the database and its WAL 0600, whatever the umask", async () => {
    const previous = process.umask(0o022);
    try {
      const file = path.join(root, "data", "pullkeeper.db");
      const target = parseDatabaseUrl(`file:${file}`);
      await applyPendingMigrations(target);
      const connection = await connectDatabase(target);
      await connection.prisma.signInFailure.count();
      expect(mode(path.dirname(file)).toString(8)).toBe("700");
      for (const candidate of [file, `${file}-wal`, `${file}-shm`]) {
        if (fs.existsSync(candidate)) expect(mode(candidate).toString(8), candidate).toBe("600");
      }
      await connection.close();
    } finally {
      process.umask(previous);
    }
  });

  it("has the demo stack write its data folder and server log for the owner only", () => {
    const script = fs.readFileSync(path.join(import.meta.dirname, "../../scripts/demo-stack.sh"), "utf8");
    // Everything the stack creates (folder, database, log) inherits this umask.
    const prefix = script.slice(0, script.indexOf('mkdir -p "$dir"'));
    expect(prefix).toMatch(/^umask 077$/m);
    const umaskLine = prefix.match(/^umask .*$/m)?.[0] ?? "";
    const probe = spawnSync("bash", ["-c", `umask 022; ${umaskLine}; mkdir -p "${root}/stack" && echo x | tee -a "${root}/stack/server.log" >/dev/null`]);
    expect(probe.status).toBe(0);
    expect(mode(path.join(root, "stack")).toString(8)).toBe("700");
    expect(mode(path.join(root, "stack", "server.log")).toString(8)).toBe("600");
  });
});
