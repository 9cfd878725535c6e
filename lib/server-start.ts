import "server-only";
import { auditStore } from "@/lib/audit";
import { authService, ensureFirstRunSetup } from "@/lib/auth";
import { databaseDescription } from "@/lib/db";
import { env, EnvError } from "@/lib/env";
import { logger } from "@/lib/log";
import { runnerId } from "@/lib/runner-id";

export async function startServer(): Promise<void> {
  try {
    env();
  } catch (error) {
    // The message names each bad variable; nothing else can work without them.
    console.error(error instanceof EnvError ? error.message : error);
    process.exit(1);
  }
  const store = await auditStore();
  const interrupted = await store.markInterrupted(runnerId);
  // A bad auth configuration stops the server here rather than on the first sign-in.
  await authService();
  await ensureFirstRunSetup();
  logger.info({ database: databaseDescription(), interrupted }, "pullkeeper started");
}
