import "server-only";
import path from "node:path";
import { parseDatabaseUrl } from "@/lib/db/database-url";
import type { Env } from "@/lib/env";
import { logger } from "@/lib/log";
import { createCredentialCipher, parseEncryptionKey, type CredentialCipher } from "@/lib/sealing/credential-cipher";
import { resolveEncryptionKey } from "@/lib/sealing/encryption-key";

/**
 * The cipher stored cluster credentials are sealed with: PULLKEEPER_ENCRYPTION_KEY (plus
 * PULLKEEPER_ENCRYPTION_PREVIOUS_KEYS while re-encrypting), or in the demo and development a key
 * generated beside the SQLite database (`./data` for PostgreSQL), whose place is logged once.
 */
export function credentialCipherFromEnv(settings: Pick<Env, "PULLKEEPER_ENCRYPTION_KEY" | "PULLKEEPER_ENCRYPTION_PREVIOUS_KEYS" | "DATABASE_URL" | "NODE_ENV" | "PULLKEEPER_DEMO">): CredentialCipher {
  const target = parseDatabaseUrl(settings.DATABASE_URL);
  const dataDir = target.sqliteFile && target.sqliteFile !== ":memory:" ? path.dirname(target.sqliteFile) : path.resolve("data");
  const resolved = resolveEncryptionKey({ configured: settings.PULLKEEPER_ENCRYPTION_KEY, allowGenerated: settings.NODE_ENV !== "production" || settings.PULLKEEPER_DEMO, dataDir });
  if (resolved.source !== "configured") {
    logger.warn({ file: resolved.file, keyId: resolved.keyId }, resolved.source === "generated" ? "PULLKEEPER_ENCRYPTION_KEY is not set: generated an encryption key for stored credentials beside the database; keep it with the database" : "PULLKEEPER_ENCRYPTION_KEY is not set: stored credentials are sealed with the key file beside the database");
  }
  const previous = settings.PULLKEEPER_ENCRYPTION_PREVIOUS_KEYS.map((text) => parseEncryptionKey(text)).filter((key): key is Buffer => key !== undefined);
  return createCredentialCipher(resolved.key, previous);
}
