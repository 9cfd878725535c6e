import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/page-header";
import { ClustersSources, IamIdentityCard, LimitsList, RegistryDomains, SettingsSection } from "@/components/settings/settings-sections";
import { visibleClusters } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { settingsOverview } from "@/lib/queries/settings";

export const metadata: Metadata = { title: "Settings" };
export const dynamic = "force-dynamic";

export default async function SettingsPage() {
  const user = await requireUser("coverage.read");
  const overview = await settingsOverview();
  // A user limited to some clusters sees only those contexts (their servers and files included).
  const visible = new Set(visibleClusters(user, overview.clusters.map((cluster) => cluster.name)));
  const s = user.clusters === null ? overview : { ...overview, clusters: overview.clusters.filter((cluster) => visible.has(cluster.name)) };
  return (
    <>
      <PageHeader title="Settings" description="What this Pullkeeper reads and how. These come from the server's environment; nothing here can be edited from the browser, and no credential is shown." />
      <SettingsSection id="clusters" title="Clusters" description="Every kubeconfig context is a cluster. Files are merged as kubectl merges KUBECONFIG: the first definition of a name wins.">
        <ClustersSources kubeconfig={s.kubeconfig} clusters={s.clusters} />
      </SettingsSection>
      <SettingsSection id="ibm-cloud" title="IBM Cloud identity" description="The identity Pullkeeper uses for service IDs, access policies and API keys. The API key itself is never shown.">
        <IamIdentityCard iam={s.iam} />
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
