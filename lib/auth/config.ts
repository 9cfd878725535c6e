import type { Env } from "@/lib/env";
import { parseGroupRoles, type GroupRule } from "./oidc-groups";
import { PullkeeperError } from "@/lib/errors";

/** Everything lib/auth needs from the configuration, already validated and defaulted. */
export interface AuthConfig {
  /** Absent only when it should be generated and kept under `dataDir` (development and demo). */
  secret?: string;
  /** The origin people open; session cookies, redirects and the OIDC callback are built from it. */
  baseURL: string;
  /** Origins (besides baseURL) whose requests may carry the session cookie, e.g. a reverse proxy's. */
  trustedOrigins: string[];
  sessionTtlSeconds: number;
  oidc: OidcConfig | null;
  demo: boolean;
  /** Where a generated secret is kept (dev and demo only). */
  dataDir: string;
  /** true in production: no generated secret, no implicit base URL. */
  production: boolean;
}

export interface OidcConfig {
  /** The provider id in URLs: /api/auth/callback/oidc */
  providerId: "oidc";
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Shown on the sign-in button. */
  name: string;
  /** false: only people an admin created first (matched by verified email) can sign in through the provider. */
  createUsers: boolean;
  /** AUTH_OIDC_GROUP_ROLES: applied at every sign-in; a user no rule matches keeps their role (new ones are pending). */
  groupRoles: GroupRule[];
  /** The ID-token claim listing the user's groups. */
  groupsClaim: string;
}

/** A bad auth setting: stops the server at start; its text is for the server log (source `config`). */
export class AuthConfigError extends PullkeeperError {
  override name = "AuthConfigError";
  constructor(message: string) {
    super("config", "invalid", message);
  }
}

const DEV_BASE_URL = "http://localhost:3000";

/** Logged at every start in demo mode (lib/server-start.ts), null otherwise. */
export function demoModeWarning(config: AuthConfig): string | null {
  return config.demo
    ? "Demo mode (PULLKEEPER_DEMO=true): demo accounts with published passwords can sign in and the auth secret is generated. Never expose this server to real users."
    : null;
}

/**
 * Reads the auth settings out of the typed env. Production (NODE_ENV=production
 * outside demo mode) must name its secret and public URL: a generated secret
 * would sign everybody out at every restart of a second replica, and a guessed
 * base URL would build redirects from whatever Host header arrived.
 */
export function authConfigFromEnv(env: Env, dataDir = "data"): AuthConfig {
  const production = env.NODE_ENV === "production" && !env.PULLKEEPER_DEMO;
  const problems: string[] = [];
  if (env.NODE_ENV === "production" && env.PULLKEEPER_DEMO && !env.PULLKEEPER_ALLOW_DEMO_IN_PRODUCTION) {
    // Demo mode publishes its accounts' passwords on the sign-in page and generates its own secret.
    problems.push(
      "PULLKEEPER_DEMO: demo mode is refused with NODE_ENV=production (published demo passwords, generated secret); unset it, or set PULLKEEPER_ALLOW_DEMO_IN_PRODUCTION=true as well for a throw-away demo",
    );
  }
  if (production && !env.AUTH_SECRET) {
    problems.push("AUTH_SECRET: required in production; set at least 32 random characters (openssl rand -base64 32)");
  }
  if (production && !env.PULLKEEPER_PUBLIC_URL) {
    problems.push("PULLKEEPER_PUBLIC_URL: required in production; the address people open, e.g. https://pullkeeper.example.com");
  }
  const oidcParts = [env.AUTH_OIDC_ISSUER, env.AUTH_OIDC_CLIENT_ID, env.AUTH_OIDC_CLIENT_SECRET];
  const oidcSet = oidcParts.filter(Boolean).length;
  if (oidcSet > 0 && oidcSet < 3) {
    problems.push("AUTH_OIDC_ISSUER, AUTH_OIDC_CLIENT_ID, AUTH_OIDC_CLIENT_SECRET: set all three for single sign-on, or none");
  }
  const groupRoles = parseGroupRoles(env.AUTH_OIDC_GROUP_ROLES);
  for (const problem of groupRoles.problems) problems.push(`AUTH_OIDC_GROUP_ROLES: ${problem}`);
  if (problems.length > 0) throw new AuthConfigError(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);

  const baseURL = (env.PULLKEEPER_PUBLIC_URL ?? DEV_BASE_URL).replace(/\/+$/, "");
  const trustedOrigins = env.PULLKEEPER_ALLOWED_ORIGINS.map((host) => (/^https?:\/\//.test(host) ? host : `https://${host}`));
  if (!env.PULLKEEPER_PUBLIC_URL) {
    // Development and demo may run on any local port.
    trustedOrigins.push("http://localhost:*", "http://127.0.0.1:*");
  }
  return {
    secret: env.AUTH_SECRET,
    baseURL,
    trustedOrigins,
    sessionTtlSeconds: env.AUTH_SESSION_TTL_HOURS * 3600,
    oidc:
      oidcSet === 3
        ? {
            providerId: "oidc",
            issuer: env.AUTH_OIDC_ISSUER!.replace(/\/+$/, ""),
            clientId: env.AUTH_OIDC_CLIENT_ID!,
            clientSecret: env.AUTH_OIDC_CLIENT_SECRET!,
            name: env.AUTH_OIDC_NAME,
            createUsers: env.AUTH_OIDC_CREATE_USERS,
            groupRoles: groupRoles.rules,
            groupsClaim: env.AUTH_OIDC_GROUPS_CLAIM,
          }
        : null,
    demo: env.PULLKEEPER_DEMO,
    dataDir,
    production,
  };
}
