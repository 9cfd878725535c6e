import "server-only";
import type { BetterAuthPlugin } from "better-auth";
import { genericOAuth } from "better-auth/plugins/generic-oauth";
import type { PrismaDatabase } from "@/lib/db/client";
import type { AuthConfig } from "./config";
import { deriveAccess, groupsFromClaim } from "./oidc-groups";

export interface SingleSignOn {
  /** The OpenID Connect plugin, or none when single sign-on is not configured. */
  plugins: BetterAuthPlugin[];
  /** Role and clusters from the mapped groups; a user no group maps keeps theirs (new ones stay pending). Returns the role now held. */
  applyGroups(userId: string, email: string): Promise<string | null>;
}

/**
 * Single sign-on through any OpenID Connect issuer (discovery, PKCE, ID-token
 * verification against the issuer's keys), and the role its groups grant.
 */
export function singleSignOn(config: AuthConfig, prisma: PrismaDatabase): SingleSignOn {
  /**
   * The groups of each single sign-on in progress, by email: read from the
   * provider's profile (the ID token, verified against the issuer's keys),
   * applied once the callback has signed the user in.
   */
  const signInGroups = new Map<string, string[]>();
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
  const oidc = config.oidc;
  if (!oidc) return { plugins: [], applyGroups };
  const plugin = genericOAuth({
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
  });
  return { plugins: [plugin], applyGroups };
}
