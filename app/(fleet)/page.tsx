import type { Metadata } from "next";
import { FleetTable } from "@/components/fleet/fleet-table";
import { NoClusters } from "@/components/fleet/no-clusters";
import { Notice } from "@/components/shell/notice";
import { PageHeader } from "@/components/shell/page-header";
import { requireUser } from "@/lib/auth/session";
import { can, visibleClusters } from "@/lib/auth/permissions";
import { listClusters } from "@/lib/queries";
import { kubeconfigSources } from "@/lib/queries/settings";
import { FleetRowLoader } from "./fleet-row-loader";

export const metadata: Metadata = { title: "Fleet" };
export const dynamic = "force-dynamic";

export default async function FleetPage() {
  const user = await requireUser("coverage.read");
  const all = listClusters();
  const names = visibleClusters(user, all.map((c) => c.name));
  const clusters = all.filter((c) => names.includes(c.name));
  return (
    <>
      <PageHeader
        title="Fleet"
        description="How every cluster pulls from IBM Cloud Container Registry and other private registries: reachability, coverage of namespaces by pull secrets, discontinued registry tokens and workloads that would fail to pull."
      />
      {all.length === 0 ? (
        <NoClusters {...kubeconfigSources()} />
      ) : clusters.length === 0 ? (
        <Notice title="No cluster is open to your account">
          <p>
            {all.length} cluster{all.length === 1 ? " is" : "s are"} configured, but your account is limited to others. Ask an admin to add clusters to your access.
          </p>
        </Notice>
      ) : (
        <FleetTable clusters={clusters} row={(cluster) => <FleetRowLoader cluster={cluster} canPlan={can(user, "workflow.plan", { cluster })} user={user} />} />
      )}
    </>
  );
}
