/**
 * Creates a local Pullkeeper user from the shell (e.g. a break-glass admin).
 * The password is read from standard input when piped, so it never appears in
 * the process list or shell history; without piped input a strong one is
 * generated and printed once.
 *
 * Usage:
 *   printf '%s' "$PASSWORD" | npx tsx --conditions=react-server scripts/create-user.ts --email ann@example.com --name "Ann Lee" --role admin
 *   npx tsx --conditions=react-server scripts/create-user.ts --email bob@example.com --role operator --clusters regional,modern
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { isRole } from "../lib/auth/permissions";
import { authService } from "../lib/auth/service";
import { UserInputError } from "../lib/auth/users";
import { database } from "../lib/db";

async function readPiped(): Promise<string | null> {
  if (process.stdin.isTTY) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
  return text === "" ? null : text;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      email: { type: "string" },
      name: { type: "string" },
      role: { type: "string", default: "viewer" },
      clusters: { type: "string" },
    },
  });
  if (!values.email || !isRole(values.role)) {
    console.error("usage: create-user.ts --email <email> [--name <name>] [--role viewer|operator|admin] [--clusters a,b]  (password on stdin)");
    process.exit(2);
  }
  const piped = await readPiped();
  const password = piped ?? randomBytes(18).toString("base64url");
  const clusters = values.clusters ? values.clusters.split(",").map((name) => name.trim()).filter(Boolean) : null;
  const { users } = await authService();
  try {
    const user = await users.createLocalUser({ email: values.email, name: values.name ?? values.email, role: values.role, clusters, password });
    console.log(`Created ${user.email} (${user.role}${user.clusters ? `, clusters ${user.clusters.join(", ")}` : ", all clusters"}).`);
    if (!piped) console.log(`Generated password (shown once): ${password}`);
  } catch (error) {
    if (error instanceof UserInputError) {
      console.error(`${error.message}\n${Object.values(error.fieldErrors).flat().map((line) => `  - ${line}`).join("\n")}`);
      process.exit(1);
    }
    throw error;
  } finally {
    await (await database()).close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
