import type { Metadata } from "next";
import Link from "next/link";
import { ConnectAccountForm } from "@/components/clusters/accounts/connect-account-form";
import { ownerDescription } from "@/components/clusters/accounts/owner";
import { DataTable, type DataTableColumn } from "@/components/shell/data-table";
import { PageHeader } from "@/components/shell/page-header";
import { RelativeTime } from "@/components/shell/relative-time";
import { requireUser } from "@/lib/auth/session";
import { accountSummaries } from "@/lib/server/cloud-accounts";

export const metadata: Metadata = { title: "IBM Cloud accounts" };
export const dynamic = "force-dynamic";

const ACCOUNT_COLUMNS: DataTableColumn[] = [{ label: "Account" }, { label: "Whose key" }, { label: "Clusters" }, { label: "Join rules" }, { label: "IAM token" }];

export default async function CloudAccountsPage() {
  await requireUser("settings.manage");
  const summaries = await accountSummaries();
  return (
    <>
      <PageHeader
        title="IBM Cloud accounts"
        description="Connect an IBM Cloud account with an API key: Pullkeeper lists its Kubernetes Service and OpenShift clusters, adds the ones you choose (or that a join rule takes), and reaches them with IAM tokens it renews before they expire, so they stay connected without a kubeconfig."
        actions={
          <Link href="/admin/clusters" className="text-sm text-sky-800 underline">
            All clusters
          </Link>
        }
      />
      <section aria-labelledby="accounts-heading" className="mb-8">
        <h2 id="accounts-heading" className="mb-2 text-base font-semibold">
          Connected accounts
        </h2>
        <DataTable caption="Connected IBM Cloud accounts" columns={ACCOUNT_COLUMNS} empty="No IBM Cloud account is connected. Connect one below.">
          {summaries.map(({ account, clusters, joinRules, token }) => (
            <tr key={account.id} className="border-t border-slate-100 align-top">
              <th scope="row" className="px-3 py-2 text-left font-normal">
                <Link href={`/admin/clusters/accounts/${account.id}`} className="font-medium text-sky-800 underline">
                  {account.displayName}
                </Link>
                <div className="font-mono text-xs text-slate-500">{account.ibmAccountId}</div>
                <div className="text-xs text-slate-500">
                  Connected by {account.createdBy} <RelativeTime iso={account.createdAt} />
                </div>
              </th>
              <td className="px-3 py-2 text-xs">{ownerDescription(account)}</td>
              <td className="px-3 py-2">{clusters.length}</td>
              <td className="px-3 py-2">{joinRules.length}</td>
              <td className="px-3 py-2 text-xs">{token ? `${token.state}${token.lastError ? `: ${token.lastError}` : ""}` : "not used yet"}</td>
            </tr>
          ))}
        </DataTable>
      </section>
      <section className="rounded-md border border-slate-200 bg-white p-6" aria-labelledby="connect-heading">
        <h2 id="connect-heading" className="mb-4 text-base font-semibold">
          Connect an account
        </h2>
        <ConnectAccountForm />
      </section>
    </>
  );
}
