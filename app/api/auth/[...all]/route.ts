import { exposedAuthHandler } from "@/lib/auth/endpoints";
import { authService } from "@/lib/auth/service";

export const dynamic = "force-dynamic";

/**
 * better-auth's own endpoints, only those Pullkeeper needs (lib/auth/endpoints.ts):
 * email sign-in, sign-out, session, the OpenID Connect callback. Public by
 * nature; each endpoint that needs a session checks it, and sign-up is disabled.
 */
async function handle(request: Request): Promise<Response> {
  const { auth } = await authService();
  return exposedAuthHandler((r) => auth.handler(r))(request);
}

export { handle as GET, handle as POST };
