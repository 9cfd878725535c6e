import "server-only";
import type { PrismaDatabase } from "@/lib/db/client";
import type { DatabaseProvider } from "@/lib/db/database-url";
import { logger } from "@/lib/log";
import type { SignInAuditSink } from "./sign-in-event";
import type { AuthConfig } from "./config";
import { resolveAuthSecret } from "./secret";
import { createAuth, type AuthLogSink, type PullkeeperAuth } from "./server";
import { createFirstRunSetup, type FirstRunSetup } from "./setup";
import { createSignInThrottle, type SignInThrottle, type ThrottleRules } from "./throttle";
import { databaseFailureLog } from "./throttle-store";
import { createUserDirectory, type UserDirectory } from "./users";

/** Everything access control needs, built once per process by the composition root. */
export interface AuthService {
  auth: PullkeeperAuth;
  config: AuthConfig;
  users: UserDirectory;
  setup: FirstRunSetup;
  throttle: SignInThrottle;
}

const logSink: AuthLogSink = (level, message, detail) => logger[level]({ detail }, `auth: ${message}`);

/** Builds the service over a given database (the composition root over the configured one, tests over a scratch one). */
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
