/**
 * Re-encrypts every stored credential (IBM Cloud API keys, registered clusters' tokens, webhook targets'
 * URLs and signing keys) under
 * PULLKEEPER_ENCRYPTION_KEY, opening each with whichever key of PULLKEEPER_ENCRYPTION_PREVIOUS_KEYS
 * sealed it. Safe to run twice; prints counts only, never a credential.
 */
import { credentialCipherFromEnv } from "../lib/server/credential-cipher";
import { createClusterStore } from "../lib/clusters/store";
import { connectDatabase } from "../lib/db/client";
import { describeDatabaseUrl, parseDatabaseUrl } from "../lib/db/database-url";
import { applyPendingMigrations } from "../lib/db/migrations";
import { env } from "../lib/env";
import { createWebhookStore } from "../lib/notifications/store";

async function main(): Promise<void> {
  const settings = env();
  const target = parseDatabaseUrl(settings.DATABASE_URL);
  await applyPendingMigrations(target);
  const connection = await connectDatabase(target);
  try {
    const cipher = credentialCipherFromEnv(settings);
    const clusters = await createClusterStore(connection.prisma, cipher).resealAll();
    const webhooks = await createWebhookStore(connection.prisma, cipher).resealAll();
    console.log(
      `${describeDatabaseUrl(target)}: ${clusters.resealed} cluster credential(s) and ${webhooks.resealed} webhook target(s) re-encrypted under key ${cipher.keyId}; ` +
        `${clusters.alreadyCurrent + webhooks.alreadyCurrent} already under it`,
    );
  } finally {
    await connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
