import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { RestoredScanNotice } from "@/components/coverage/restored-scan-notice";
import { CoverageList } from "@/components/namespace/coverage-list";
import { PullSecretsTable } from "@/components/namespace/pull-secrets-table";
import { PullsSection } from "@/components/namespace/pulls-section";
import { ServiceAccountsTable } from "@/components/namespace/service-accounts-table";
import { WorkloadsTable } from "@/components/namespace/workloads-table";
import { RefreshButton } from "@/components/fleet/refresh-button";
import { Notice } from "@/components/shell/notice";
import { PageHeader } from "@/components/shell/page-header";
import { RelativeTime } from "@/components/shell/relative-time";
import { canSeeConnectionDetails, withoutServerAddress } from "@/lib/auth/connection-details";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import type { NamespaceDetail } from "@/lib/api/namespace";
import { findCluster, namespaceView } from "@/lib/queries";
import { routeParam } from "@/lib/queries/route-param";

type Props = { params: Promise<{ cluster: string; namespace: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const p = await params;
  return { title: `${routeParam(p.namespace)} · ${routeParam(p.cluster)}` };
}

export const dynamic = "force-dynamic";

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="mb-6">
      <h2 id={id} className="mb-2 text-base font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

/**
 * A namespace the scan does not have. It may be newer than the scan: namespaceView looked for it in a fresh scan
 * (at most once per 30 s per cluster) before saying so. A 200, as for every namespace page: it streams after the shell.
 */
function NamespaceNotScanned({ cluster, namespace, scannedAt, canRescan }: { cluster: string; namespace: string; scannedAt: string; canRescan: boolean }) {
  return (
    <section className="mx-auto max-w-xl rounded-md border border-slate-200 bg-white p-6">
      <h1 className="text-lg font-semibold">Not found</h1>
      <p className="mt-2 text-sm text-slate-600">
        Namespace <span className="font-mono">{namespace}</span> is not in the scan of {cluster} from <RelativeTime iso={scannedAt} />{" "}
        (<time dateTime={scannedAt}>{new Date(scannedAt).toISOString().replace("T", " ").slice(0, 19)} UTC</time>). If it was created since,
        {canRescan ? " rescan the cluster." : " it appears with the next scan."}
      </p>
      <div className="mt-4 flex items-start gap-4">
        {canRescan ? <RefreshButton cluster={cluster} label="Rescan" /> : null}
        <Link href={`/clusters/${encodeURIComponent(cluster)}`} className="text-sm font-medium text-sky-700 underline">
          Back to {cluster}
        </Link>
      </div>
    </section>
  );
}

export default async function NamespacePage({ params }: Props) {
  const p = await params;
  const cluster = routeParam(p.cluster);
  const namespace = routeParam(p.namespace);
  const user = await requireUser("secrets.read", { cluster });
  if (!findCluster(cluster)) notFound();
  const view = await namespaceView(cluster, namespace);
  const clusterHref = `/clusters/${encodeURIComponent(cluster)}`;
  const canPlan = can(user, "workflow.plan", { cluster });
  const canApply = can(user, "workflow.apply", { cluster });

  if (!view.ok) {
    if (view.reason === "not_found") return <NamespaceNotScanned cluster={cluster} namespace={namespace} scannedAt={view.scan.finishedAt} canRescan={can(user, "coverage.read", { cluster })} />;
    return (
      <>
        <PageHeader title={namespace} description={<>Namespace in <Link href={clusterHref} className="text-sky-800 underline">{cluster}</Link></>} actions={<RefreshButton cluster={cluster} label="Rescan" />} />
        <Notice tone="error" title="This cluster could not be read">
          <p>{canSeeConnectionDetails(user) ? (view.scan.error?.message ?? view.scan.probe.message) : withoutServerAddress(view.scan.error?.message ?? view.scan.probe.message, view.scan.info.server)}</p>
        </Notice>
      </>
    );
  }
  const d = view.detail;
  const labels = Object.entries(d.labels).map(([k, v]) => `${k}=${v}`);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-600">
        <Link href="/" className="text-sky-800 underline">Fleet</Link> / <Link href={clusterHref} className="text-sky-800 underline">{cluster}</Link> / {namespace}
      </nav>
      <PageHeader
        title={namespace}
        description={
          <>
            {labels.length ? <span className="font-mono text-xs">{labels.join(", ")}</span> : "No labels"} · created <RelativeTime iso={d.createdAt} /> · scanned <RelativeTime iso={view.scan.finishedAt} />
          </>
        }
        actions={<NamespaceActions cluster={cluster} namespace={namespace} canPlan={canPlan} />}
      />
      {view.restored ? <RestoredScanNotice scannedAt={view.scan.finishedAt} /> : null}
      <NamespaceNotices detail={d} />
      <Section id="coverage" title="Coverage of the default service account">
        <CoverageList namespace={namespace} cells={d.coverage} />
      </Section>
      <Section id="pulls" title={`Pulls (${pullCounts(d)})`}>
        <PullsSection cluster={cluster} namespace={namespace} groups={d.pulls} canPlan={canPlan} />
      </Section>
      <Section id="pull-secrets" title={`Image pull secrets (${d.pullSecrets.length})`}>
        <PullSecretsTable cluster={cluster} namespace={namespace} secrets={d.pullSecrets} canPlan={canPlan} canApply={canApply} />
      </Section>
      <Section id="service-accounts" title={`Service accounts (${d.serviceAccounts.length})`}>
        <ServiceAccountsTable namespace={namespace} accounts={d.serviceAccounts} />
      </Section>
      <Section id="workloads" title={`Workloads (${d.workloads.length})`}>
        <WorkloadsTable namespace={namespace} workloads={d.workloads} />
      </Section>
    </>
  );
}

/** "2 failing, 1 latent" by pods. */
function pullCounts(d: NamespaceDetail): string {
  const pods = (state: "failing" | "latent") => new Set(d.pulls.filter((g) => g.state === state).flatMap((g) => g.pods)).size;
  const failing = pods("failing");
  const latent = pods("latent");
  return failing + latent === 0 ? "none failing" : `${failing} failing, ${latent} will fail when rescheduled`;
}

const ACTION_LINK = "rounded border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50";

function NamespaceActions({ cluster, namespace, canPlan }: { cluster: string; namespace: string; canPlan: boolean }) {
  const workflow = (verb: string, query: Record<string, string>) =>
    `/clusters/${encodeURIComponent(cluster)}/workflows/${verb}?${new URLSearchParams(query).toString()}`;
  return (
    <>
      {canPlan ? (
        <>
          <Link href={workflow("copy", { namespaces: namespace })} className={ACTION_LINK}>Copy here</Link>
          <Link href={workflow("attach", { namespaces: namespace })} className={ACTION_LINK}>Attach</Link>
          <Link href={workflow("scoped", { namespace })} className={ACTION_LINK}>Create scoped credentials</Link>
          <Link href={workflow("private-registry", { namespace })} className={ACTION_LINK}>Add private registry secret</Link>
        </>
      ) : null}
      <RefreshButton cluster={cluster} label="Rescan" />
    </>
  );
}

/** What the scan found wrong with the namespace itself, above its tables. */
function NamespaceNotices({ detail: d }: { detail: NamespaceDetail }) {
  return (
    <>
      {d.unreadable ? (
        <div className="mb-4">
          <Notice tone="warning" title="This namespace could not be read completely">
            <p>{d.unreadable}</p>
          </Notice>
        </div>
      ) : null}
      {!d.hasDefaultServiceAccount ? (
        <div className="mb-4">
          <Notice tone="warning" title="No default service account">
            <p>Pods that name no service account use “default”, which this namespace lacks (or Pullkeeper may not read it). Nothing can be attached to it yet.</p>
          </Notice>
        </div>
      ) : null}
      {d.danglingReferences.length ? (
        <div className="mb-4">
          <Notice tone="error" title={`${d.danglingReferences.length} reference${d.danglingReferences.length === 1 ? "" : "s"} to missing secrets`}>
            <ul className="list-disc pl-5">
              {d.danglingReferences.map((r) => (
                <li key={`${r.referencedBy}-${r.secret}`}>
                  {r.referencedBy} → <span className="font-mono">{r.secret}</span> (not found)
                </li>
              ))}
            </ul>
          </Notice>
        </div>
      ) : null}
    </>
  );
}
