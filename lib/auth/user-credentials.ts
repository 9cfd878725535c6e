import "server-only";
import type { PrismaDatabase } from "@/lib/db/client";
import { passwordProblems } from "./password-policy";
import type { PullkeeperAuth } from "./server";
import { UserInputError } from "./user-input-error";
import { normaliseEmail, serializeClusters, type UserRows } from "./user-rows";
import type { UserDirectory } from "./users";

/** Local accounts and their passwords: hashed by better-auth's scrypt after the policy check, never stored or returned in clear. */
export function userCredentials(prisma: PrismaDatabase, auth: PullkeeperAuth, { summaryOf, load }: UserRows): Pick<UserDirectory, "createLocalUser" | "setPassword"> {
  const hashPassword = async (password: string, context: { email: string; name: string }) => {
    const problems = passwordProblems(password, context);
    if (problems.length > 0) throw new UserInputError("The password does not meet the policy.", { password: problems });
    return (await auth.$context).password.hash(password);
  };

  return {
    async createLocalUser(input) {
      const email = normaliseEmail(input.email);
      const name = input.name.trim() || email;
      if (await prisma.user.findUnique({ where: { email }, select: { id: true } })) {
        throw new UserInputError("A user with that email already exists.", { email: ["A user with that email already exists."] });
      }
      const hash = await hashPassword(input.password, { email, name });
      const context = await auth.$context;
      // The admin vouches for the address, which lets the same person later link single sign-on by email.
      const user = await context.internalAdapter.createUser(
        { email, name, emailVerified: true, role: input.role, clusters: serializeClusters(input.clusters) },
        { method: "admin" },
      );
      await context.internalAdapter.linkAccount({ userId: user.id, providerId: "credential", accountId: user.id, password: hash });
      return summaryOf(await load(user.id));
    },

    async setPassword(id, password) {
      const row = await load(id);
      const hash = await hashPassword(password, { email: row.email, name: row.name });
      const credential = await prisma.account.findFirst({ where: { userId: id, providerId: "credential" } });
      if (credential) {
        await prisma.account.update({ where: { id: credential.id }, data: { password: hash, updatedAt: new Date() } });
      } else {
        await (await auth.$context).internalAdapter.linkAccount({ userId: id, providerId: "credential", accountId: id, password: hash });
      }
      await prisma.session.deleteMany({ where: { userId: id } });
    },
  };
}
