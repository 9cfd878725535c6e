"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { SIGN_IN_PATH } from "@/lib/auth/paths";
import { authService } from "@/lib/auth/service";
import { userAction } from "../safe-action";

/** Ends the current session (deleted server-side, cookie cleared) and returns to the sign-in page. */
export const signOutAction = userAction(z.object({}), async () => {
  const { auth } = await authService();
  await auth.api.signOut({ headers: new Headers(await headers()) });
  redirect(SIGN_IN_PATH);
});
