import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CoverageMatrix } from "@/components/coverage/coverage-matrix";
import { FindingsBanners } from "@/components/coverage/findings-banners";
import { RestoredScanNotice } from "@/components/coverage/restored-scan-notice";
import { ClusterSummary } from "@/components/coverage/cluster-summary";
import { ClusterLabelChips } from "@/components/fleet/cluster-labels";
import { ProbeStatusBadge } from "@/components/fleet/probe-status";
import { RefreshButton } from "@/components/fleet/refresh-button";
import { Notice } from "@/components/shell/notice";
import { PageHeader } from "@/components/shell/page-header";
import { RelativeTime } from "@/components/shell/relative-time";
import { matrixQueryFromParams, matrixQueryToSearch } from "@/lib/api/matrix-query";
import { canSeeConnectionDetails, withoutServerAddress } from "@/lib/auth/connection-details";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { clusterLabellingOf, clusterView, findCluster, queryMatrix } from "@/lib/queries";
import { routeParam } from "@/lib/queries/route-param";

type Props = { params: Promise<{ cluster: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: routeParam((await params).cluster) };
}

export const dynamic = "force-dynamic";

export default async function ClusterPage({ params, searchParams }: Props) {
  const cluster = routeParam((await params).cluster);
  const user = await requireUser("coverage.read", { cluster });
  if (!findCluster(cluster)) notFound();
  const [view, [labelling]] = await Promise.all([clusterView(cluster), clusterLabellingOf([cluster])]);
  const { scan } = view;
  // The API server's address is for admins only, also inside probe and scan errors.
  const details = canSeeConnectionDetails(user);
  const shown = (text: string) => (details ? text : withoutServerAddress(text, scan.info.server));
  const header = (
    <PageHeader
      title={labelling?.displayName ?? cluster}
      description={
        <>
          {labelling && labelling.displayName !== cluster ? <span className="font-mono">{cluster} · </span> : null}
          <ProbeStatusBadge status={scan.probe.status} /> {scan.probe.serverVersion ?? ""} · {details ? `${scan.info.server} · ` : ""}scanned <RelativeTime iso={scan.finishedAt} /> in {scan.durationMs} ms
          {labelling ? <ClusterLabelChips labels={labelling.labels} max={8} /> : null}
        </>
      }
      actions={
        <>
          <Link href="/" className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50">
            Fleet
          </Link>
          <RefreshButton cluster={cluster} label="Rescan" />
        </>
      }
    />
  );
  if (!view.ok) {
    return (
      <>
        {header}
        <Notice tone="error" title="This cluster could not be read">
          <p>{shown(scan.error?.message ?? scan.probe.message)}</p>
          <p>Nothing is shown rather than a partial picture. Fix the connection or credentials in the kubeconfig, then rescan.</p>
        </Notice>
      </>
    );
  }
  const { coverage, inventory } = view.scan;
  const query = matrixQueryFromParams(await searchParams);
  return (
    <>
      {header}
      {view.restored ? <RestoredScanNotice scannedAt={view.scan.finishedAt} /> : null}
      <ClusterSummary cluster={cluster} summary={coverage.summary} canPlan={can(user, "workflow.plan", { cluster })} />
      {inventory.notes.length || inventory.unreadableNamespaces.length ? (
        <div className="mb-4">
          <Notice tone="warning" title="Part of this cluster could not be read">
            <ul className="list-disc pl-5">
              {inventory.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
              {inventory.unreadableNamespaces.slice(0, 20).map((u) => (
                <li key={u.namespace}>
                  {u.namespace}: {u.message}
                </li>
              ))}
            </ul>
          </Notice>
        </div>
      ) : null}
      <FindingsBanners cluster={cluster} groups={view.findings} />
      {/* The view the URL names, one page of it: the HTML and the browser's first data do not grow with the cluster.
          Keyed by the view, so a link to another view of this page (the summary's) starts from that view. */}
      <CoverageMatrix key={matrixQueryToSearch(query)} initial={queryMatrix(view.matrix, query)} initialQuery={query} canPlan={can(user, "workflow.plan", { cluster })} />
    </>
  );
}
