import "server-only";
import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { PrismaDatabase } from "@/lib/db/client";
import { passwordProblems } from "./password-policy";
import { AuthError } from "./permissions";
import { UserInputError, type UserDirectory, type UserSummary } from "./users";

/** How long a printed setup token stays usable. */
export const SETUP_TOKEN_TTL_MS = 24 * 60 * 60_000;

export interface FirstAdmin {
  token: string;
  email: string;
  name: string;
  password: string;
}

/**
 * First run without a default password: while no user exists, the server
 * issues a one-time setup token and prints it in its log; whoever can read the
 * server log can create the first admin with it, exactly once.
 */
export interface FirstRunSetup {
  /** True while no user exists. */
  needed(): Promise<boolean>;
  /**
   * Issues a new token when setup is needed and this process has not issued one yet;
   * returns it (to print) or null. Earlier unused tokens stop working.
   */
  issueToken(): Promise<string | null>;
  /** Creates the first admin; throws AuthError (bad or used token, users exist) or UserInputError. */
  complete(input: FirstAdmin): Promise<UserSummary>;
}

function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function createFirstRunSetup(prisma: PrismaDatabase, users: UserDirectory, now: () => Date = () => new Date()): FirstRunSetup {
  let issuedHere = false;
  const invalid = () => new AuthError("unauthorized", "The setup token is wrong, expired or already used. Restart the server to print a new one.");

  return {
    needed: async () => (await users.count()) === 0,

    async issueToken() {
      if (issuedHere || (await users.count()) > 0) return null;
      const token = `pk_setup_${randomBytes(24).toString("base64url")}`;
      const at = now();
      await prisma.authSetupToken.updateMany({ where: { usedAt: null }, data: { usedAt: at } });
      await prisma.authSetupToken.create({
        data: { id: randomUUID(), tokenHash: hashToken(token), createdAt: at, expiresAt: new Date(at.getTime() + SETUP_TOKEN_TTL_MS) },
      });
      issuedHere = true;
      return token;
    },

    async complete(input) {
      if ((await users.count()) > 0) throw new AuthError("conflict", "Pullkeeper already has users; sign in instead.");
      const presented = hashToken(input.token.trim());
      const row = await prisma.authSetupToken.findUnique({ where: { tokenHash: presented } });
      if (!row || row.usedAt || row.expiresAt <= now() || !timingSafeEqual(Buffer.from(row.tokenHash), Buffer.from(presented))) {
        throw invalid();
      }
      // Check the form before spending the token, so a typo does not cost a restart.
      const problems: Record<string, string[]> = {};
      if (!/^[^\s@]+@[^\s@]+$/.test(input.email.trim())) problems.email = ["Enter an email address."];
      if (!input.name.trim()) problems.name = ["Enter a name."];
      const weak = passwordProblems(input.password, { email: input.email, name: input.name });
      if (weak.length > 0) problems.password = weak;
      if (Object.keys(problems).length > 0) throw new UserInputError("Check the highlighted fields.", problems);
      // The conditional update is the single-use guarantee: of two concurrent requests only one matches.
      const claimed = await prisma.authSetupToken.updateMany({
        where: { id: row.id, usedAt: null, expiresAt: { gt: now() } },
        data: { usedAt: now() },
      });
      if (claimed.count !== 1) throw invalid();
      if ((await users.count()) > 0) throw new AuthError("conflict", "Pullkeeper already has users; sign in instead.");
      return users.createLocalUser({ email: input.email, name: input.name, role: "admin", clusters: null, password: input.password });
    },
  };
}
