"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { recordFirstRunSetup } from "@/lib/auth/access-audit";
import { authService } from "@/lib/auth/service";
import { logger } from "@/lib/log";
import { publicAction } from "../safe-action";
import { signInFailure } from "./auth-errors";

const setupSchema = z.object({
  token: z.string().trim().min(1, "Paste the setup token from the server log."),
  email: z.email("Enter an email address.").trim(),
  name: z.string().trim().min(1, "Enter a name.").max(200),
  password: z.string().max(1024),
});

/** Public but single-use: creates the first admin with the setup token printed in the server log, then signs them in. */
export const completeSetupAction = publicAction(setupSchema, async ({ input }) => {
  const { auth, setup } = await authService();
  const admin = await setup.complete(input);
  logger.info({ actor: admin.email }, "first admin created with the setup token");
  await recordFirstRunSetup(admin);
  try {
    await auth.api.signInEmail({ body: { email: admin.email, password: input.password, rememberMe: true }, headers: new Headers(await headers()) });
  } catch (error) {
    signInFailure(error);
  }
  redirect("/");
});
