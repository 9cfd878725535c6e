import { authService } from "@/lib/auth/service";

export const dynamic = "force-dynamic";

/**
 * better-auth's own endpoints (sign-in, sign-out, session, the OpenID Connect
 * callback). Public by nature; each endpoint that needs a session checks it,
 * and sign-up is disabled.
 */
async function handle(request: Request): Promise<Response> {
  const { auth } = await authService();
  return auth.handler(request);
}

export { handle as GET, handle as POST };
