import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { AuthConfigError, type AuthConfig } from "./config";

const SECRET_FILE = "auth-secret";

/**
 * The key that signs session cookies. Configured in production; in development
 * and demo mode one is generated once and kept in the data folder (mode 0600),
 * so restarts keep people signed in without anyone choosing a secret.
 */
export function resolveAuthSecret(config: Pick<AuthConfig, "secret" | "production" | "dataDir">): string {
  if (config.secret) return config.secret;
  if (config.production) {
    throw new AuthConfigError("AUTH_SECRET: required in production; set at least 32 random characters (openssl rand -base64 32)");
  }
  const file = path.resolve(config.dataDir, SECRET_FILE);
  try {
    const existing = fs.readFileSync(file, "utf8").trim();
    if (existing.length >= 32) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString("base64url");
  try {
    // "wx": when two processes start together, the first write wins and the second reads it.
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return fs.readFileSync(file, "utf8").trim();
    throw error;
  }
}
