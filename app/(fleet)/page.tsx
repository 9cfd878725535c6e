import type { Metadata } from "next";
import { FleetBoard } from "@/components/fleet/fleet-board";
import { NoClusters } from "@/components/fleet/no-clusters";
import { Notice } from "@/components/shell/notice";
import { PageHeader } from "@/components/shell/page-header";
import { clusterRowFor } from "@/lib/auth/connection-details";
import { requireUser } from "@/lib/auth/session";
import { can, visibleClusters } from "@/lib/auth/permissions";
import { clusterLabellingOf, listClusters, storedFleetRows } from "@/lib/queries";
import { withRuleCounts } from "@/lib/server/rule-service";
import { kubeconfigSources } from "@/lib/queries/settings";

export const metadata: Metadata = { title: "Fleet" };
export const dynamic = "force-dynamic";

/** Server components render once per request: the page's "now", from which the browser counts how long it waits. */
function requestTime(): number {
  return Date.now();
}

export default async function FleetPage() {
  const user = await requireUser("coverage.read");
  const all = listClusters();
  const names = visibleClusters(user, all.map((c) => c.name));
  // Never waits for a cluster: rows without a fresh scan are fetched by the browser as each cluster answers.
  const cached = storedFleetRows(names);
  const rows = new Map((await withRuleCounts(user, cached.flatMap((s) => (s.row ? [clusterRowFor(user, s.row)] : [])))).map((row) => [row.cluster, row] as const));
  const stored = cached.map((s) => ({ ...s, row: rows.get(s.cluster) ?? null }));
  const clusters = await clusterLabellingOf(names);
  return (
    <>
      <PageHeader
        title="Fleet"
        description="How every cluster pulls from IBM Cloud Container Registry and other private registries: reachability, coverage of namespaces by pull secrets, discontinued registry tokens and workloads that would fail to pull."
      />
      {all.length === 0 ? (
        <NoClusters {...kubeconfigSources()} />
      ) : names.length === 0 ? (
        <Notice title="No cluster is open to your account">
          <p>
            {all.length} cluster{all.length === 1 ? " is" : "s are"} configured, but your account is limited to others. Ask an admin to add clusters to your access.
          </p>
        </Notice>
      ) : (
        <FleetBoard stored={stored} clusters={clusters} plannable={names.filter((cluster) => can(user, "workflow.plan", { cluster }))} renderedAt={requestTime()} />
      )}
    </>
  );
}
