import type { Metadata } from "next";
import Link from "next/link";
import { ClustersTable } from "@/components/clusters/clusters-table";
import { RegisterClusterForm } from "@/components/clusters/register-cluster-form";
import { PageHeader } from "@/components/shell/page-header";
import { requireUser } from "@/lib/auth/session";
import { listAdminClusters } from "@/lib/clusters/admin";
import { clusterAdminPorts, lastScanReachability } from "@/lib/server/cluster-admin";

export const metadata: Metadata = { title: "Clusters" };
export const dynamic = "force-dynamic";

/** Server components render once per request, so "now" is the request's time (expiries are shown relative to it). */
function renderTime(): number {
  return Date.now();
}

export default async function ClustersAdminPage() {
  await requireUser("settings.manage");
  const rows = await listAdminClusters(await clusterAdminPorts(), lastScanReachability);
  return (
    <>
      <PageHeader
        title="Clusters"
        description="Every cluster Pullkeeper reaches: contexts of the kubeconfig files it reads (KUBECONFIG, re-read when they change), the cluster it runs in, clusters of connected IBM Cloud accounts and clusters registered with a service account of their own. Disabled clusters leave scans, keeping rules and the fleet; every change here takes effect at once and is audited."
        actions={
          <Link href="/admin/clusters/accounts" className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100">
            IBM Cloud accounts
          </Link>
        }
      />
      <section aria-labelledby="clusters-heading" className="mb-8">
        <div className="mb-2 flex items-baseline justify-between">
          <h2 id="clusters-heading" className="text-base font-semibold">
            {rows.length} cluster{rows.length === 1 ? "" : "s"}
          </h2>
          <Link href="/admin/clusters" className="text-sm text-sky-800 underline">
            Refresh
          </Link>
        </div>
        <ClustersTable rows={rows} now={renderTime()} />
      </section>
      <div className="rounded-md border border-slate-200 bg-white p-6">
        <RegisterClusterForm kubeconfigContexts={rows.filter((r) => r.source === "kubeconfig" && r.connected).map((r) => r.name)} />
      </div>
    </>
  );
}
