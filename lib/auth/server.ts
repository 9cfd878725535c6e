import "server-only";
import { betterAuth, type BetterAuthPlugin } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError, createAuthMiddleware, isAPIError } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { genericOAuth } from "better-auth/plugins/generic-oauth";
import type { PrismaDatabase } from "@/lib/db/client";
import type { DatabaseProvider } from "@/lib/db/database-url";
import { redactCredentials } from "@/lib/redaction/credential-fields";
import { CLIENT_ADDRESS_HEADER, clientAddress } from "./client-address";
import type { SignInAuditSink } from "./sign-in-event";
import type { AuthConfig } from "./config";
import { deriveAccess, groupsFromClaim, PENDING_ROLE } from "./oidc-groups";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./password-policy";
import { retryAfterText, type SignInThrottle } from "./throttle";

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
  const plugins: BetterAuthPlugin[] = [];
  /**
   * The groups of each single sign-on in progress, by email: read from the
   * provider's profile (the ID token, verified against the issuer's keys),
   * applied once the callback has signed the user in.
   */
  const signInGroups = new Map<string, string[]>();
  /** Role and clusters from the mapped groups; a user no group maps keeps theirs (new ones stay pending). Returns the role now held. */
  const applyGroups = async (userId: string, email: string): Promise<string | null> => {
    const groups = signInGroups.get(email.toLowerCase());
    signInGroups.delete(email.toLowerCase());
    const row = await prisma.user.findUnique({ where: { id: userId }, select: { role: true } });
    if (!row || !groups || !config.oidc) return row?.role ?? null;
    const access = deriveAccess(config.oidc.groupRoles, groups);
    if (!access) return row.role;
    const clusters = access.clusters === null ? null : JSON.stringify(access.clusters);
    await prisma.user.update({ where: { id: userId }, data: { role: access.role, clusters, updatedAt: new Date() } });
    return access.role;
  };
  if (config.oidc) {
    const oidc = config.oidc;
    plugins.push(
      genericOAuth({
        config: [
          {
            providerId: oidc.providerId,
            name: oidc.name,
            discoveryUrl: `${oidc.issuer}/.well-known/openid-configuration`,
            clientId: oidc.clientId,
            clientSecret: oidc.clientSecret,
            // Providers such as Dex and Okta put groups in the ID token only when asked for this scope.
            scopes: oidc.groupRoles.length > 0 ? ["openid", "email", "profile", "groups"] : ["openid", "email", "profile"],
            pkce: true,
            requireIdTokenVerification: true,
            disableSignUp: !oidc.createUsers,
            mapProfileToUser: (profile) => {
              if (typeof profile.email === "string") signInGroups.set(profile.email.toLowerCase(), groupsFromClaim(profile[oidc.groupsClaim]));
              return { name: typeof profile.name === "string" && profile.name ? profile.name : String(profile.email ?? "") };
            },
          },
        ],
      }),
    );
  }
  // Must stay last: it copies the cookies better-auth sets into Next's cookie store in server actions.
  plugins.push(nextCookies());

  const signInKeys = (ctx: { body?: unknown; headers?: Headers; request?: Request }) => {
    const body = (ctx.body ?? {}) as { email?: unknown };
    const headers = ctx.request?.headers ?? ctx.headers ?? new Headers();
    return { account: typeof body.email === "string" ? body.email : "", address: clientAddress(headers) };
  };

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
    databaseHooks: {
      // Pullkeeper calls no provider API after sign-in, so it keeps none of the provider's tokens.
      account: {
        create: { before: async (account) => ({ data: { ...account, ...WITHOUT_PROVIDER_TOKENS } }) },
        update: { before: async (account) => ({ data: { ...account, ...dropProviderTokens(account) } }) },
      },
      user: {
        // Created by a single sign-on callback: no access until their groups (or an admin) grant a role.
        create: {
          before: async (user, context) => {
            const path = context?.path ?? "";
            return path.startsWith("/callback/") || path.startsWith("/oauth2/callback/") ? { data: { ...user, role: PENDING_ROLE, clusters: null } } : undefined;
          },
        },
      },
      session: {
        create: {
          // Every way in (password, single sign-on) ends here, so a deactivated user is stopped once.
          before: async (session) => {
            const user = await prisma.user.findUnique({ where: { id: session.userId }, select: { deactivatedAt: true } });
            if (!user || user.deactivatedAt) {
              throw new APIError("FORBIDDEN", { message: "This account is deactivated. Ask an admin to reactivate it.", code: "ACCOUNT_DEACTIVATED" });
            }
          },
        },
      },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email") return;
        const keys = signInKeys(ctx);
        const verdict = await throttle.check(keys);
        if (!verdict.allowed) {
          await signInAudit?.({ outcome: "refused", email: keys.account, method: "password", address: keys.address, reason: "too many failed attempts" });
          throw new APIError(
            "TOO_MANY_REQUESTS",
            { message: `Too many failed sign-in attempts. Try again ${retryAfterText(verdict.retryAfterSeconds)}.`, code: "SIGN_IN_THROTTLED" },
            { "Retry-After": String(verdict.retryAfterSeconds) },
          );
        }
        // Past the account's limit: slowed, not refused, so the right password still works from a new address.
        if (verdict.delayMs) await new Promise((resolve) => setTimeout(resolve, verdict.delayMs));
      }),
      after: createAuthMiddleware(async (ctx) => {
        const returned = ctx.context.returned;
        const signedIn = ctx.context.newSession?.user as { id?: string; email?: string; role?: string } | undefined;
        if (ctx.path.startsWith("/callback/")) {
          if (signedIn?.email && signedIn.id) {
            const role = (await applyGroups(signedIn.id, signedIn.email)) ?? String(signedIn.role ?? PENDING_ROLE);
            const address = clientAddress(ctx.request?.headers ?? ctx.headers ?? new Headers());
            await signInAudit?.({ outcome: "succeeded", email: signedIn.email, method: "sso", address, user: { role } });
          }
          return;
        }
        if (ctx.path !== "/sign-in/email") return;
        const keys = signInKeys(ctx);
        if (isAPIError(returned)) {
          if (returned.statusCode === 401) await throttle.recordFailure(keys);
          const reason = returned.statusCode === 401 ? "wrong email or password" : returned.statusCode === 403 ? "account deactivated" : `refused (${returned.statusCode})`;
          await signInAudit?.({ outcome: returned.statusCode === 401 ? "failed" : "refused", email: keys.account, method: "password", address: keys.address, reason });
        } else {
          await throttle.recordSuccess(keys);
          const user = { role: String(signedIn?.role ?? "viewer") };
          await signInAudit?.({ outcome: "succeeded", email: signedIn?.email ?? keys.account, method: "password", address: keys.address, user });
        }
      }),
    },
    plugins,
  });
}

const WITHOUT_PROVIDER_TOKENS = { accessToken: null, refreshToken: null, idToken: null, accessTokenExpiresAt: null, refreshTokenExpiresAt: null };

function dropProviderTokens(account: Record<string, unknown>): Partial<typeof WITHOUT_PROVIDER_TOKENS> {
  return Object.fromEntries(Object.keys(WITHOUT_PROVIDER_TOKENS).filter((key) => key in account).map((key) => [key, null]));
}

export type PullkeeperAuth = ReturnType<typeof createAuth>;
