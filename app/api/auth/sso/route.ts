import { NextResponse } from "next/server";
import { safeNextPath } from "@/lib/auth/paths";
import { authService } from "@/lib/auth/service";

export const dynamic = "force-dynamic";

/**
 * Starts single sign-on: keeps the state and PKCE verifier, sets the state
 * cookie and sends the browser to the OpenID provider. A plain link (GET), so
 * the page's CSP can keep `form-action 'self'`; starting a sign-in for the
 * person's own provider account is all a forged link could do.
 */
export async function GET(request: Request): Promise<Response> {
  const { auth, config } = await authService();
  const url = new URL(request.url);
  if (!config.oidc) return NextResponse.redirect(new URL("/sign-in?error=sso-unconfigured", config.baseURL), 303);
  const next = safeNextPath(url.searchParams.get("next"));
  const response = await auth.api.signInSocial({
    body: { provider: config.oidc.providerId, callbackURL: next, newUserCallbackURL: next, errorCallbackURL: "/sign-in?error=sso", disableRedirect: true },
    headers: request.headers,
    asResponse: true,
  });
  const body = (await response.clone().json().catch(() => null)) as { url?: string } | null;
  if (!response.ok || !body?.url) return NextResponse.redirect(new URL("/sign-in?error=sso", config.baseURL), 303);
  const redirect = NextResponse.redirect(body.url, 303);
  for (const cookie of response.headers.getSetCookie()) redirect.headers.append("set-cookie", cookie);
  redirect.headers.set("Cache-Control", "no-store");
  return redirect;
}
