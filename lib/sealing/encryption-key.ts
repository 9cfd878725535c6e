import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { PullkeeperError } from "@/lib/errors";
import { encryptionKeyId, parseEncryptionKey } from "./credential-cipher";

export const ENCRYPTION_KEY_FILE = "encryption-key";

export interface ResolvedEncryptionKey {
  key: Buffer;
  keyId: string;
  /** `generated`: made now beside the database (demo and development only); say so where the operator looks. */
  source: "configured" | "file" | "generated";
  file: string | null;
}

/**
 * The key credentials at rest are sealed under. Configured (PULLKEEPER_ENCRYPTION_KEY) in
 * production; the embedded demo and development generate one beside the database
 * (`<data dir>/encryption-key`, mode 0600) and keep it across restarts. Losing that file
 * loses every stored credential, so the caller logs where it is.
 */
export function resolveEncryptionKey(input: { configured: string | undefined; allowGenerated: boolean; dataDir: string }): ResolvedEncryptionKey {
  if (input.configured) {
    const key = parseEncryptionKey(input.configured);
    if (!key) throw new PullkeeperError("config", "invalid", "PULLKEEPER_ENCRYPTION_KEY: expected 32 random bytes as 64 hex digits or base64 (openssl rand -base64 32)");
    return { key, keyId: encryptionKeyId(key), source: "configured", file: null };
  }
  if (!input.allowGenerated) {
    throw new PullkeeperError("config", "not_configured", "PULLKEEPER_ENCRYPTION_KEY: required to store credentials in production; set 32 random bytes (openssl rand -base64 32) and keep a copy with the database backups");
  }
  const file = path.resolve(input.dataDir, ENCRYPTION_KEY_FILE);
  const read = (): Buffer | undefined => {
    try {
      return parseEncryptionKey(fs.readFileSync(file, "utf8"));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  };
  const existing = read();
  if (existing) return { key: existing, keyId: encryptionKeyId(existing), source: "file", file };
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  try {
    // "wx": when two processes start together, the first write wins and the second reads it.
    fs.writeFileSync(file, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    return { key, keyId: encryptionKeyId(key), source: "generated", file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const raced = read();
    if (!raced) throw new PullkeeperError("config", "invalid", `${file}: not a valid encryption key`);
    return { key: raced, keyId: encryptionKeyId(raced), source: "file", file };
  }
}
