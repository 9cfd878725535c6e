import Link from "next/link";
import { can, ROLE_LABELS } from "@/lib/auth/permissions";
import { currentUser } from "@/lib/auth/session";
import { SignOutButton } from "@/components/auth/sign-out-button";

/** The header's user slot: who is signed in, with which role, and the way out. */
export async function UserMenu() {
  const user = await currentUser();
  if (!user) return null;
  return (
    <>
      {can(user, "users.manage") ? (
        <Link href="/admin/users" className="rounded px-2 py-1 text-slate-700 hover:bg-slate-100">
          Users
        </Link>
      ) : null}
      {can(user, "settings.manage") ? (
        <Link href="/admin/clusters" className="rounded px-2 py-1 text-slate-700 hover:bg-slate-100">
          Clusters
        </Link>
      ) : null}
      {can(user, "settings.manage") ? (
        <Link href="/admin/notifications" className="rounded px-2 py-1 text-slate-700 hover:bg-slate-100">
          Notifications
        </Link>
      ) : null}
      <span className="text-slate-700">
        <span className="font-medium">{user.name}</span>{" "}
        <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600" aria-label={`role ${ROLE_LABELS[user.role]}`}>
          {ROLE_LABELS[user.role]}
          {user.clusters ? ` · ${user.clusters.length} cluster${user.clusters.length === 1 ? "" : "s"}` : ""}
        </span>
      </span>
      <SignOutButton />
    </>
  );
}
