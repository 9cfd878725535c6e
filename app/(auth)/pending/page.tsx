import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { PENDING_PATH, signInUrl } from "@/lib/auth/paths";
import { currentAccess } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Waiting for approval" };
export const dynamic = "force-dynamic";

/** Where requireUser sends a single sign-on user no mapped group grants a role: they see nothing else until an admin approves. */
export default async function PendingPage() {
  const access = await currentAccess();
  if (!access) redirect(signInUrl(PENDING_PATH));
  if (access.kind === "user") redirect("/");
  return (
    <section role="alert" className="mx-auto max-w-xl rounded-md border border-amber-200 bg-white p-6">
      <h1 className="text-lg font-semibold">Your access is waiting for approval</h1>
      <p className="mt-2 text-sm text-slate-600">
        You signed in as {access.email}, but none of your groups at the identity provider gives access to Pullkeeper. An admin must approve your
        access (choose a role and clusters) before you can see anything. Ask an admin, then reload this page.
      </p>
    </section>
  );
}
