import type { Metadata } from "next";
import Link from "next/link";
import { isPermission, PERMISSION_LABELS, ROLE_LABELS } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Not allowed" };
export const dynamic = "force-dynamic";

/** Where requireUser sends a signed-in person who lacks a permission (the denial is already in the audit log). */
export default async function ForbiddenPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const params = await searchParams;
  const permission = isPermission(params.permission) ? params.permission : null;
  const cluster = typeof params.cluster === "string" ? params.cluster : null;
  return (
    <section role="alert" className="mx-auto max-w-xl rounded-md border border-amber-200 bg-white p-6">
      <h1 className="text-lg font-semibold">You do not have access to that</h1>
      <p className="mt-2 text-sm text-slate-600">
        You are signed in as {user.email} with the {ROLE_LABELS[user.role].toLowerCase()} role
        {permission ? `, which cannot ${PERMISSION_LABELS[permission]}` : ""}
        {cluster ? ` on cluster ${cluster}` : ""}. The attempt was recorded in the audit log. Ask an admin if you need access.
      </p>
      <Link href="/" className="mt-4 inline-block text-sm font-medium text-sky-700 underline">
        Back to the fleet
      </Link>
    </section>
  );
}
