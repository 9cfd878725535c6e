import "server-only";
import { betterAuth, type BetterAuthPlugin } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import type { PrismaDatabase } from "@/lib/db/client";
import type { DatabaseProvider } from "@/lib/db/database-url";
import { redactCredentials } from "@/lib/redaction/credential-fields";
import { accountHooks } from "./account-hooks";
import { CLIENT_ADDRESS_HEADER } from "./client-address";
import type { AuthConfig } from "./config";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./password-policy";
import type { SignInAuditSink } from "./sign-in-event";
import { signInHooks } from "./sign-in-hooks";
import { singleSignOn } from "./single-sign-on";
import type { SignInThrottle } from "./throttle";

/** The cookie names start with this (`pullkeeper.session_token`, `__Secure-` added over HTTPS). */
export const COOKIE_PREFIX = "pullkeeper";

export interface AuthLogSink {
  (level: "debug" | "info" | "warn" | "error", message: string, detail: unknown[]): void;
}

export interface CreateAuthOptions {
  config: AuthConfig;
  /** The resolved signing secret (see secret.ts). */
  secret: string;
  prisma: PrismaDatabase;
  provider: DatabaseProvider;
  throttle: SignInThrottle;
  log?: AuthLogSink;
  /** Where sign-ins and failed ones are recorded (the audit log in the server); none in some tests. */
  signInAudit?: SignInAuditSink;
}

/**
 * better-auth configured for Pullkeeper: local accounts (scrypt, no self sign-up),
 * optional single sign-on through any OpenID Connect issuer (discovery, PKCE,
 * ID-token verification against the issuer's keys), database sessions with an
 * absolute lifetime, and sign-in throttling per account and address.
 */
export function createAuth({ config, secret, prisma, provider, throttle, log, signInAudit }: CreateAuthOptions) {
  const sso = singleSignOn(config, prisma);
  // nextCookies must stay last: it copies the cookies better-auth sets into Next's cookie store in server actions.
  const plugins: BetterAuthPlugin[] = [...sso.plugins, nextCookies()];

  return betterAuth({
    appName: "Pullkeeper",
    baseURL: config.baseURL,
    basePath: "/api/auth",
    secret,
    trustedOrigins: config.trustedOrigins,
    database: prismaAdapter(prisma, { provider }),
    telemetry: { enabled: false },
    emailAndPassword: {
      enabled: true,
      // People are added by an admin (or the first-run setup), never by themselves.
      disableSignUp: true,
      minPasswordLength: PASSWORD_MIN_LENGTH,
      maxPasswordLength: PASSWORD_MAX_LENGTH,
      revokeSessionsOnPasswordReset: true,
    },
    user: {
      additionalFields: {
        role: { type: "string", required: false, defaultValue: "viewer", input: false },
        clusters: { type: "string", required: false, input: false },
        deactivatedAt: { type: "date", required: false, input: false },
      },
    },
    session: {
      expiresIn: config.sessionTtlSeconds,
      // An absolute lifetime: a session ends AUTH_SESSION_TTL_HOURS after sign-in, however busy.
      disableSessionRefresh: true,
      cookieCache: { enabled: false },
    },
    account: {
      accountLinking: { enabled: true, trustedProviders: [], allowDifferentEmails: false },
    },
    rateLimit: {
      enabled: true,
      window: 60,
      max: 300,
      // Sign-in has its own per-account and per-address throttle below.
      customRules: { "/sign-in/email": false, "/sign-in/social": { window: 60, max: 60 } },
    },
    advanced: {
      cookiePrefix: COOKIE_PREFIX,
      useSecureCookies: config.baseURL.startsWith("https://"),
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax", path: "/" },
      // Resolved from the socket and the trusted proxies at the HTTP server (client-address-stamp.ts), never a client's claim.
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
    },
    logger: {
      level: "warn",
      log: (level, message, ...args) => log?.(level, message, redactCredentials(args)),
    },
    databaseHooks: accountHooks(prisma),
    hooks: signInHooks(throttle, sso.applyGroups, signInAudit),
    plugins,
  });
}

export type PullkeeperAuth = ReturnType<typeof createAuth>;
