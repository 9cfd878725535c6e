import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SetupForm } from "@/components/auth/setup-form";
import { SIGN_IN_PATH } from "@/lib/auth/paths";
import { ensureFirstRunSetup } from "@/lib/auth/service";

export const metadata: Metadata = { title: "First-run setup" };
export const dynamic = "force-dynamic";

/** Only while no user exists; the one-time token in the server log proves the visitor runs the server. */
export default async function SetupPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (!(await ensureFirstRunSetup())) redirect(SIGN_IN_PATH);
  const params = await searchParams;
  return (
    <section className="mx-auto max-w-md space-y-6 pt-8">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Create the first admin</h1>
        <p className="mt-1 text-sm text-slate-600">
          Pullkeeper has no users yet. The server printed a one-time setup token in its log when it started (look for
          &ldquo;First run&rdquo;). Paste it here with the admin&rsquo;s details; the token stops working once used.
        </p>
      </div>
      <div className="rounded-md border border-slate-200 bg-white p-6">
        <SetupForm token={typeof params.token === "string" ? params.token : ""} />
      </div>
    </section>
  );
}
