import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Notice } from "@/components/shell/notice";
import { SignInForm } from "@/components/auth/sign-in-form";
import { DEMO_USERS } from "@/lib/auth/demo-users";
import { safeNextPath, SETUP_PATH } from "@/lib/auth/paths";
import { authService, ensureFirstRunSetup } from "@/lib/auth/service";
import { currentUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

const SSO_ERRORS: Record<string, string> = {
  sso: "Single sign-on did not complete. If your account is new, an admin may need to add you first.",
  "sso-unconfigured": "Single sign-on is not configured on this server.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = safeNextPath(typeof params.next === "string" ? params.next : null);
  if (await currentUser()) redirect(next);
  if (await ensureFirstRunSetup()) redirect(SETUP_PATH);
  const { config } = await authService();
  const error = typeof params.error === "string" ? (SSO_ERRORS[params.error] ?? "Sign-in did not complete.") : null;

  return (
    <section className="mx-auto max-w-sm space-y-6 pt-8">
      <h1 className="text-xl font-semibold tracking-tight">Sign in to Pullkeeper</h1>
      {error ? <Notice tone="error" title={error} /> : null}
      {config.demo ? (
        <Notice tone="warning" title="Demo mode: these accounts exist only in the demo">
          <ul className="space-y-1 font-mono text-xs">
            {DEMO_USERS.map((user) => (
              <li key={user.email}>
                {user.email} / {user.password} ({user.role})
              </li>
            ))}
          </ul>
        </Notice>
      ) : null}
      <div className="rounded-md border border-slate-200 bg-white p-6">
        <SignInForm next={next} />
        {config.oidc ? (
          <>
            <p className="my-4 text-center text-xs uppercase tracking-wide text-slate-500">or</p>
            <a
              href={`/api/auth/sso?next=${encodeURIComponent(next)}`}
              className="block w-full rounded border border-slate-300 px-3 py-1.5 text-center text-sm font-medium text-slate-800 hover:bg-slate-100"
            >
              Sign in with {config.oidc.name}
            </a>
          </>
        ) : null}
      </div>
    </section>
  );
}
