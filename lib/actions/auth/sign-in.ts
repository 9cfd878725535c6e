"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { safeNextPath } from "@/lib/auth/paths";
import { authService } from "@/lib/auth/service";
import { publicAction } from "../safe-action";
import { signInFailure } from "./auth-errors";

const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your email.").max(320),
  password: z.string().min(1, "Enter your password.").max(1024),
  next: z.string().optional(),
});

/** Public: signs in with a local account (throttled per account and address), then goes to `next`. */
export const signInAction = publicAction(signInSchema, async ({ input }) => {
  const { auth } = await authService();
  try {
    await auth.api.signInEmail({
      body: { email: input.email, password: input.password, rememberMe: true },
      headers: new Headers(await headers()),
    });
  } catch (error) {
    signInFailure(error);
  }
  redirect(safeNextPath(input.next));
});
