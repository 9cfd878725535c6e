import type { Metadata } from "next";
import type { ClusterInfo } from "@/lib/kube/port";
import { PageHeader } from "@/components/shell/page-header";
import { ClustersSources, IamIdentityCard, LimitsList, RegistryDomains, SettingsSection } from "@/components/settings/settings-sections";
import { canSeeConnectionDetails } from "@/lib/auth/connection-details";
import { visibleClusters } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { settingsOverview } from "@/lib/queries/settings";

export const metadata: Metadata = { title: "Settings" };
export const dynamic = "force-dynamic";

/** Belt and braces: what the table would not show does not reach the client either. */
const withoutConnection = (cluster: ClusterInfo): ClusterInfo => ({ ...cluster, server: "", sourceFile: null, user: "", clusterEntry: "" });

export default async function SettingsPage() {
  const user = await requireUser("coverage.read");
  const details = canSeeConnectionDetails(user);
  const overview = await settingsOverview();
  // A user limited to some clusters sees only those contexts (their servers and files included).
  const visible = new Set(visibleClusters(user, overview.clusters.map((cluster) => cluster.name)));
  const s = user.clusters === null ? overview : { ...overview, clusters: overview.clusters.filter((cluster) => visible.has(cluster.name)) };
  return (
    <>
      <PageHeader title="Settings" description="What this Pullkeeper reads and how. These come from the server's environment; nothing here can be edited from the browser, and no credential is shown." />
      <SettingsSection id="clusters" title="Clusters" description="Every kubeconfig context is a cluster. Files are merged as kubectl merges KUBECONFIG: the first definition of a name wins.">
        <ClustersSources kubeconfig={s.kubeconfig} clusters={details ? s.clusters : s.clusters.map(withoutConnection)} details={details} />
      </SettingsSection>
      <SettingsSection id="ibm-cloud" title="IBM Cloud identity" description="The identity Pullkeeper uses for service IDs, access policies and API keys. The API key itself is never shown.">
        {details ? (
          <IamIdentityCard iam={s.iam} />
        ) : (
          <p className="rounded-md border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-700">
            {s.iam.configured ? "Configured." : "Not configured."} The identity is shown to admins only.
          </p>
        )}
      </SettingsSection>
      <SettingsSection id="domains" title="Registry domains" description="How Pullkeeper classifies registries in pull secrets and image references.">
        <RegistryDomains />
      </SettingsSection>
      <SettingsSection id="limits" title="Limits and timeouts">
        <LimitsList limits={s.limits} />
      </SettingsSection>
    </>
  );
}
