import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/shell/page-header";
import { Notice } from "@/components/shell/notice";
import { AttachWorkflow } from "@/components/workflows/attach-workflow";
import { CopyWorkflow } from "@/components/workflows/copy-workflow";
import { MigrateWorkflow } from "@/components/workflows/migrate-workflow";
import { PrivateRegistryWorkflow } from "@/components/workflows/private-registry-workflow";
import { ScopedWorkflow } from "@/components/workflows/scoped-workflow";
import { can, requireUser } from "@/lib/auth";
import { findCluster, getClusterScan } from "@/lib/queries";
import { workflowFormContext } from "@/lib/server/workflow-context";
import { routeParam } from "@/lib/queries/route-param";

export const dynamic = "force-dynamic";

const WORKFLOWS = {
  migrate: { title: "Migrate to IAM API keys", description: "Replace the discontinued registry-token pull secrets with IAM API-key secrets, attached and verified." },
  copy: { title: "Copy pull secrets", description: "Copy pull secrets to other namespaces, rebuilt from their type and data only, and attach them." },
  attach: { title: "Attach pull secrets", description: "Add pull secrets to service accounts' imagePullSecrets without duplicates, keeping the others." },
  scoped: { title: "Create scoped IAM credentials", description: "A service ID, access policy and API key for one namespace, written into a verified pull secret." },
  "private-registry": { title: "Private registry secret", description: "A pull secret for any private registry, verified against the registry." },
} as const;

type Slug = keyof typeof WORKFLOWS;
type SearchParams = Record<string, string | string[] | undefined>;

const param = (params: SearchParams, key: string): string => {
  const value = params[key];
  return (Array.isArray(value) ? value[0] : value) ?? "";
};
const listParam = (params: SearchParams, key: string): string[] => param(params, key).split(",").map((s) => s.trim()).filter(Boolean);

export async function generateMetadata({ params }: { params: Promise<{ workflow: string }> }): Promise<Metadata> {
  const { workflow } = await params;
  return { title: WORKFLOWS[workflow as Slug]?.title ?? "Workflow" };
}

export default async function WorkflowPage({ params, searchParams }: { params: Promise<{ cluster: string; workflow: string }>; searchParams: Promise<SearchParams> }) {
  const { cluster: rawCluster, workflow } = await params;
  const cluster = routeParam(rawCluster);
  const user = await requireUser("workflow.plan", { cluster });
  if (!Object.hasOwn(WORKFLOWS, workflow)) notFound();
  const slug = workflow as Slug;
  const canApply = can(user, "workflow.apply", { cluster });
  const query = await searchParams;
  if (!findCluster(cluster)) notFound();

  // The form needs names only; the cluster's cached scan has them (the preview reads live state itself).
  const { value: scan } = await getClusterScan(cluster);
  if (!scan.inventory) {
    return (
      <>
        <PageHeader title={WORKFLOWS[slug].title} />
        <Notice tone="error" title={`Cluster ${cluster} could not be read`}>
          <p>{scan.error?.message ?? scan.probe.message} Nothing was changed.</p>
        </Notice>
      </>
    );
  }
  const context = workflowFormContext(scan.inventory);

  const header = (
    <PageHeader
      title={WORKFLOWS[slug].title}
      description={
        <>
          {WORKFLOWS[slug].description} Cluster{" "}
          <Link className="font-medium text-sky-800 underline" href={`/clusters/${encodeURIComponent(cluster)}`}>
            {cluster}
          </Link>
          .
        </>
      }
    />
  );
  const body = (() => {
    switch (slug) {
      case "migrate":
        return (
          <MigrateWorkflow
            cluster={cluster}
            suggestedStyle={context.suggestedStyle}
            legacyImageNamespaces={context.legacyImageNamespaces}
            legacyCopyNamespaces={context.legacyCopyNamespaces}
            legacySecretCount={context.legacySecretCount}
            canApply={canApply}
          />
        );
      case "copy":
        return (
          <CopyWorkflow
            cluster={cluster}
            sourceSecrets={context.sourceSecrets}
            initial={{ namespaces: listParam(query, "namespaces"), selector: param(query, "selector"), uncovered: param(query, "uncovered") === "1", secrets: listParam(query, "secrets") }}
            canApply={canApply}
          />
        );
      case "attach":
        return (
          <AttachWorkflow
            cluster={cluster}
            initial={{ namespaces: listParam(query, "namespaces"), secrets: listParam(query, "secrets"), serviceAccount: param(query, "serviceAccount") || "default" }}
            canApply={canApply}
          />
        );
      case "scoped":
        return <ScopedWorkflow cluster={cluster} namespaces={context.namespaces} domains={context.icrDomains} initialNamespace={param(query, "namespace")} canApply={canApply} />;
      case "private-registry":
        return <PrivateRegistryWorkflow cluster={cluster} namespaces={context.namespaces} initialNamespace={param(query, "namespace")} canApply={canApply} />;
    }
  })();
  return (
    <>
      {header}
      {body}
    </>
  );
}
