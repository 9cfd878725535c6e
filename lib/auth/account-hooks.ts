import "server-only";
import type { BetterAuthOptions } from "better-auth";
import { APIError } from "better-auth/api";
import type { PrismaDatabase } from "@/lib/db/client";
import { PENDING_ROLE } from "./oidc-groups";

const WITHOUT_PROVIDER_TOKENS = { accessToken: null, refreshToken: null, idToken: null, accessTokenExpiresAt: null, refreshTokenExpiresAt: null };

function dropProviderTokens(account: Record<string, unknown>): Partial<typeof WITHOUT_PROVIDER_TOKENS> {
  return Object.fromEntries(Object.keys(WITHOUT_PROVIDER_TOKENS).filter((key) => key in account).map((key) => [key, null]));
}

/**
 * What better-auth writes, adjusted: no provider tokens kept, single sign-on
 * users created pending, and no session for a deactivated user.
 */
export function accountHooks(prisma: PrismaDatabase): NonNullable<BetterAuthOptions["databaseHooks"]> {
  return {
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
  };
}
