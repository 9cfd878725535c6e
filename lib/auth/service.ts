import "server-only";
import { database, type PrismaDatabase } from "@/lib/db";
import type { DatabaseProvider } from "@/lib/db/database-url";
import { env } from "@/lib/env";
import { logger } from "@/lib/log";
import { recordSignIn, type SignInAuditSink } from "./access-audit";
import { authConfigFromEnv, type AuthConfig } from "./config";
import { resolveAuthSecret } from "./secret";
import { createAuth, type AuthLogSink, type PullkeeperAuth } from "./server";
import { createFirstRunSetup, type FirstRunSetup } from "./setup";
import { createSignInThrottle, type SignInThrottle, type ThrottleRules } from "./throttle";
import { databaseFailureLog } from "./throttle-store";
import { createUserDirectory, type UserDirectory } from "./users";

/** Everything access control needs, built once per process. */
export interface AuthService {
  auth: PullkeeperAuth;
  config: AuthConfig;
  users: UserDirectory;
  setup: FirstRunSetup;
  throttle: SignInThrottle;
}

const logSink: AuthLogSink = (level, message, detail) => logger[level]({ detail }, `auth: ${message}`);

/** Builds the service over a given database (tests use a scratch one). */
export function composeAuthService(options: {
  config: AuthConfig;
  prisma: PrismaDatabase;
  provider: DatabaseProvider;
  /** Tests shorten the windows and move the clock; the failures are always counted in `prisma`. */
  throttle?: { rules?: ThrottleRules; now?: () => number };
  log?: AuthLogSink;
  signInAudit?: SignInAuditSink;
}): AuthService {
  const secret = resolveAuthSecret(options.config);
  const throttle = createSignInThrottle({ log: databaseFailureLog(options.prisma), secret, ...options.throttle });
  const auth = createAuth({
    config: options.config,
    secret,
    prisma: options.prisma,
    provider: options.provider,
    throttle,
    log: options.log ?? logSink,
    ...(options.signInAudit ? { signInAudit: options.signInAudit } : {}),
  });
  const users = createUserDirectory(options.prisma, auth);
  return { auth, config: options.config, users, setup: createFirstRunSetup(options.prisma, users), throttle };
}

const holder = globalThis as unknown as { pullkeeperAuth?: Promise<AuthService> };

/** The process-wide service over the configured database; kept on globalThis across dev reloads. */
export function authService(): Promise<AuthService> {
  holder.pullkeeperAuth ??= (async () => {
    const { prisma, provider } = await database();
    return composeAuthService({ config: authConfigFromEnv(env()), prisma, provider, signInAudit: recordSignIn });
  })().catch((error: unknown) => {
    holder.pullkeeperAuth = undefined;
    throw error;
  });
  return holder.pullkeeperAuth;
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
