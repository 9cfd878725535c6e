import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RuleForm } from "@/components/rules/rule-form";
import { PageHeader } from "@/components/shell/page-header";
import { fieldsOfRule } from "@/lib/actions/rules/rule-form";
import { requireUser } from "@/lib/auth/session";
import { clusterLabellingOf, listClusters } from "@/lib/queries";
import { getRule } from "@/lib/server/rule-service";

export const metadata: Metadata = { title: "Edit keeping rule" };
export const dynamic = "force-dynamic";

export default async function EditRulePage({ params }: { params: Promise<{ id: string }> }) {
  await requireUser("rules.manage");
  const rule = await getRule((await params).id);
  if (!rule) notFound();
  return (
    <>
      <PageHeader title={`Edit ${rule.name}`} description={`Version ${rule.version}. If someone saves a change before you, yours is refused and nothing is lost: reload and make it again.`} />
      <RuleForm values={fieldsOfRule(rule)} clusters={await clusterLabellingOf(listClusters().map((cluster) => cluster.name))} rule={{ id: rule.id, version: rule.version }} />
    </>
  );
}
