import type { Metadata } from "next";
import { RuleForm } from "@/components/rules/rule-form";
import { PageHeader } from "@/components/shell/page-header";
import type { RuleFormValues } from "@/lib/actions/rules/rule-form";
import { requireUser } from "@/lib/auth/session";
import { clusterLabellingOf, listClusters } from "@/lib/queries";

export const metadata: Metadata = { title: "New keeping rule" };
export const dynamic = "force-dynamic";

const FRESH: RuleFormValues = {
  name: "", description: "", mode: "report", clusterMode: "all", clusters: [], clusterSelector: "", namespaceMode: "all", labelSelector: "", include: "", exclude: "",
  includeSystem: false, registries: "", sourceNamespace: "default", sourceSecrets: "all-icr-io", naming: "seed", serviceAccountMode: "default", serviceAccounts: "", restartWorkloads: false,
};

export default async function NewRulePage() {
  await requireUser("rules.manage");
  return (
    <>
      <PageHeader title="New keeping rule" description="Say which namespaces of which clusters must be able to pull from which registries, and from which source secrets. Preview what it would change right now before saving it." />
      <RuleForm values={FRESH} clusters={await clusterLabellingOf(listClusters().map((cluster) => cluster.name))} />
    </>
  );
}
