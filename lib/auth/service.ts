import "server-only";
import { logger } from "@/lib/log";
import { serverRoot } from "@/lib/server/root";
import { recordSignIn } from "./access-audit";
import type { AuthService } from "./compose";

export { composeAuthService, type AuthService } from "./compose";

/** The process's service over the configured database (held by the composition root). */
export function authService(): Promise<AuthService> {
  return serverRoot().authService(recordSignIn);
}

/**
 * Call at server start (and from the sign-in and setup pages): while nobody can
 * sign in, prints a one-time link that creates the first admin. The token goes
 * to the server log on purpose: reading that log is the proof of being the operator.
 */
export async function ensureFirstRunSetup(): Promise<boolean> {
  const { setup, config } = await authService();
  if (!(await setup.needed())) return false;
  const token = await setup.issueToken();
  if (token) {
    logger.warn(
      `First run: no user exists yet. Create the first admin at ${config.baseURL}/setup with the one-time setup token ${token} (valid 24 hours, single use).`,
    );
  }
  return true;
}
