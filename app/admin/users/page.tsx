import type { Metadata } from "next";
import { CreateUserForm } from "@/components/auth/create-user-form";
import { ApproveControl, RejectControl } from "@/components/auth/pending-user-controls";
import { ActivationControl, ClusterControl, PasswordControl, RoleControl } from "@/components/auth/user-row-controls";
import { DataTable, type DataTableColumn } from "@/components/shell/data-table";
import { PageHeader } from "@/components/shell/page-header";
import { authService } from "@/lib/auth/service";
import { requireUser } from "@/lib/auth/session";
import type { UserSummary } from "@/lib/auth/users";

export const metadata: Metadata = { title: "Users and roles" };
export const dynamic = "force-dynamic";

export default async function UsersPage() {
  const admin = await requireUser("users.manage");
  const { users } = await authService();
  const everyone = await users.list();
  // Single sign-on users no mapped group grants a role: no access until approved here.
  const waiting = everyone.filter((user) => user.pending && user.active);
  const list = everyone.filter((user) => !(user.pending && user.active));
  return (
    <>
      <PageHeader
        title="Users and roles"
        description="Viewers read coverage, secret metadata and the audit log; operators also plan and apply workflows; admins also manage users and settings. A cluster limit hides every other cluster from the user."
      />
      {waiting.length > 0 ? <PendingUsers waiting={waiting} /> : null}
      <UserTable users={list} adminId={admin.id} />
      <section className="mt-8 rounded-md border border-slate-200 bg-white p-6" aria-labelledby="create-user-heading">
        <h2 id="create-user-heading" className="mb-4 text-base font-semibold">
          Add a local user
        </h2>
        <CreateUserForm />
      </section>
    </>
  );
}

function PendingUsers({ waiting }: { waiting: UserSummary[] }) {
  return (
    <section className="mb-6 rounded-md border border-amber-200 bg-white p-4" aria-labelledby="pending-heading">
      <h2 id="pending-heading" className="text-base font-semibold">
        Waiting for approval ({waiting.length})
      </h2>
      <p className="mb-3 text-xs text-slate-600">Signed in through single sign-on; none of their groups is mapped to a role, so they have no access yet.</p>
      <ul className="divide-y divide-slate-100">
        {waiting.map((user) => (
          <li key={user.id} className="flex flex-wrap items-start justify-between gap-3 py-2" aria-label={`Pending ${user.email}`}>
            <div>
              <div className="font-medium text-slate-900">{user.name}</div>
              <div className="text-xs">{user.email}</div>
            </div>
            <div className="flex items-start gap-2">
              <ApproveControl user={{ id: user.id, email: user.email }} />
              <RejectControl user={{ id: user.id, email: user.email }} />
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

const USER_COLUMNS: DataTableColumn[] = [{ label: "User" }, { label: "Sign-in" }, { label: "Role" }, { label: "Clusters" }, { label: "Password" }, { label: "Status" }];

function UserTable({ users, adminId }: { users: UserSummary[]; adminId: string }) {
  return (
    <DataTable caption="Users" columns={USER_COLUMNS} empty="No users yet.">
      {users.map((user) => (
        <UserRow key={user.id} user={user} isSelf={user.id === adminId} />
      ))}
    </DataTable>
  );
}

function UserRow({ user, isSelf }: { user: UserSummary; isSelf: boolean }) {
  const row = { id: user.id, email: user.email, role: user.role, clusters: user.clusters, active: user.active, isSelf };
  return (
    <tr className={`border-t border-slate-100 align-top ${user.active ? "" : "bg-slate-50 text-slate-500"}`}>
      <th scope="row" className="px-3 py-2 text-left font-normal">
        <div className="font-medium text-slate-900">{user.name}</div>
        <div className="text-xs">{user.email}</div>
      </th>
      <td className="px-3 py-2 text-xs">{user.signInMethods.join(", ") || "none"}</td>
      <td className="px-3 py-2">
        <RoleControl user={row} />
      </td>
      <td className="px-3 py-2">
        <ClusterControl user={row} />
      </td>
      <td className="px-3 py-2">
        <PasswordControl user={row} />
      </td>
      <td className="px-3 py-2">
        <div className="mb-1 text-xs">{user.active ? "Active" : user.pending ? "Rejected" : "Deactivated"}</div>
        <ActivationControl user={row} />
      </td>
    </tr>
  );
}
