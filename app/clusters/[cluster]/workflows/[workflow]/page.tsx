import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/shell/page-header";
import { Notice } from "@/components/shell/notice";
import { AttachWorkflow } from "@/components/workflows/attach-workflow";
import { CopyWorkflow } from "@/components/workflows/copy-workflow";
import { MigrateWorkflow } from "@/components/workflows/migrate-workflow";
import { PrivateRegistryWorkflow } from "@/components/workflows/private-registry-workflow";
import { RotateWorkflow } from "@/components/workflows/rotate-workflow";
import { ScopedWorkflow } from "@/components/workflows/scoped-workflow";
import { can, requireUser } from "@/lib/auth";
import { findCluster, getClusterScan } from "@/lib/queries";
import { workflowFormContext } from "@/lib/server/workflow-context";
import { routeParam } from "@/lib/queries/route-param";
import { WORKFLOWS, workflowBySlug, type PageWorkflowKind } from "@/lib/workflows/catalog";

export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;

const param = (params: SearchParams, key: string): string => {
  const value = params[key];
  return (Array.isArray(value) ? value[0] : value) ?? "";
};
const listParam = (params: SearchParams, key: string): string[] => param(params, key).split(",").map((s) => s.trim()).filter(Boolean);

export async function generateMetadata({ params }: { params: Promise<{ workflow: string }> }): Promise<Metadata> {
  const { workflow } = await params;
  const kind = workflowBySlug(workflow);
  return { title: kind ? WORKFLOWS[kind].title : "Workflow" };
}

export default async function WorkflowPage({ params, searchParams }: { params: Promise<{ cluster: string; workflow: string }>; searchParams: Promise<SearchParams> }) {
  const { cluster: rawCluster, workflow } = await params;
  const cluster = routeParam(rawCluster);
  const user = await requireUser("workflow.plan", { cluster });
  const kind = workflowBySlug(workflow);
  if (!kind) notFound();
  const { title, description } = WORKFLOWS[kind];
  const canApply = can(user, "workflow.apply", { cluster });
  const query = await searchParams;
  if (!findCluster(cluster)) notFound();

  // The form needs names only; the cluster's cached scan has them (the preview reads live state itself).
  const { value: scan } = await getClusterScan(cluster);
  if (!scan.inventory) {
    return (
      <>
        <PageHeader title={title} />
        <Notice tone="error" title={`Cluster ${cluster} could not be read`}>
          <p>{scan.error?.message ?? scan.probe.message} Nothing was changed.</p>
        </Notice>
      </>
    );
  }
  const context = workflowFormContext(scan.inventory);

  const header = (
    <PageHeader
      title={title}
      description={
        <>
          {description} Cluster{" "}
          <Link className="font-medium text-sky-800 underline" href={`/clusters/${encodeURIComponent(cluster)}`}>
            {cluster}
          </Link>
          .
        </>
      }
    />
  );
  // One form per workflow that has a page; the catalog's kinds make a missing one a type error.
  const forms: { [K in PageWorkflowKind]: () => React.ReactNode } = {
    migrate_to_api_keys: () => (
      <MigrateWorkflow
        cluster={cluster}
        suggestedStyle={context.suggestedStyle}
        legacyImageNamespaces={context.legacyImageNamespaces}
        legacyCopyNamespaces={context.legacyCopyNamespaces}
        legacySecretCount={context.legacySecretCount}
        canApply={canApply}
      />
    ),
    copy_pull_secrets: () => (
      <CopyWorkflow
        cluster={cluster}
        sourceSecrets={context.sourceSecrets}
        initial={{ namespaces: listParam(query, "namespaces"), selector: param(query, "selector"), uncovered: param(query, "uncovered") === "1", secrets: listParam(query, "secrets") }}
        canApply={canApply}
      />
    ),
    attach_pull_secrets: () => (
      <AttachWorkflow
        cluster={cluster}
        initial={{ namespaces: listParam(query, "namespaces"), secrets: listParam(query, "secrets"), serviceAccount: param(query, "serviceAccount") || "default" }}
        canApply={canApply}
      />
    ),
    create_scoped_credentials: () => <ScopedWorkflow cluster={cluster} namespaces={context.namespaces} domains={context.icrDomains} initialNamespace={param(query, "namespace")} canApply={canApply} />,
    rotate_api_key: () => (
      <RotateWorkflow cluster={cluster} initial={{ namespace: param(query, "namespace"), name: param(query, "secret"), fingerprint: param(query, "fingerprint") }} canApply={canApply} />
    ),
    create_private_registry_secret: () => <PrivateRegistryWorkflow cluster={cluster} namespaces={context.namespaces} initialNamespace={param(query, "namespace")} canApply={canApply} />,
  };
  const body = forms[kind]();
  return (
    <>
      {header}
      {body}
    </>
  );
}
