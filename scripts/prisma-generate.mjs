// Generates the two Prisma clients (SQLite and PostgreSQL) after `npm install`.
// `prisma generate` needs no schema engine, but the CLI insists on finding one
// unless PRISMA_SCHEMA_ENGINE_BINARY names an existing file; it is never run.
import { execFileSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const prisma = path.join(root, "node_modules", "prisma", "build", "index.js");
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
};
for (const provider of ["sqlite", "postgresql"]) {
  try {
    execFileSync(process.execPath, [prisma, "generate", "--schema", path.join(root, "prisma", provider)], {
      cwd: root,
      env,
      stdio: "pipe",
    });
  } catch (error) {
    process.stderr.write(String(error.stderr ?? error.message));
    process.exit(1);
  }
}
console.log("prisma: generated the SQLite and PostgreSQL clients in lib/generated/");
