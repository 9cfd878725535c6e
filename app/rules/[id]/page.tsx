import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { secondaryButtonClass } from "@/components/forms/field";
import { DeleteRuleControl, PauseResumeControl } from "@/components/rules/rule-controls";
import { ClusterStatusTable, RuleFindings } from "@/components/rules/rule-status-sections";
import { describeSpec, revisionHistory } from "@/components/rules/rule-view";
import { PageHeader } from "@/components/shell/page-header";
import { RelativeTime } from "@/components/shell/relative-time";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { clusterLabellingOf } from "@/lib/queries";
import { ruleAppliesToCluster } from "@/lib/rules/spec";
import { getRule, ruleRevisions, ruleStatuses } from "@/lib/server/rule-service";

export const metadata: Metadata = { title: "Keeping rule" };
export const dynamic = "force-dynamic";

export default async function RulePage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser("coverage.read");
  const rule = await getRule((await params).id);
  if (!rule) notFound();
  const [statuses, revisions] = await Promise.all([ruleStatuses(user, rule.id), ruleRevisions(rule.id)]);
  // A cluster with a status that the scope no longer holds (off the list, or relabelled): its copies are on their way out.
  const leftScope = new Set((await clusterLabellingOf(statuses.map((status) => status.cluster))).filter((facts) => !ruleAppliesToCluster(rule.spec, facts)).map((facts) => facts.name));
  const mayManage = can(user, "rules.manage");
  return (
    <>
      <PageHeader
        title={rule.name}
        description={
          <>
            {rule.description ? `${rule.description} · ` : ""}
            {rule.mode === "enforce" ? "Enforce: fixes drift as" : "Report: shows drift, writes nothing; its actor would be"} rule:{rule.name}
            {rule.paused ? " · paused" : ""} · version {rule.version}
          </>
        }
        actions={
          <>
            {mayManage ? (
              <Link href={`/rules/${rule.id}/edit`} className={secondaryButtonClass}>
                Edit
              </Link>
            ) : null}
            {can(user, "rules.operate") ? <PauseResumeControl rule={rule} /> : null}
            {mayManage ? <DeleteRuleControl rule={rule} /> : null}
          </>
        }
      />
      {rule.paused ? (
        <p role="status" className="mb-6 rounded border border-slate-300 bg-slate-100 px-3 py-2 text-sm">
          Paused by {rule.updatedBy}: nothing is evaluated or fixed until it is resumed; the states below are as last seen.
        </p>
      ) : null}
      <dl className="mb-8 grid gap-x-6 gap-y-1 rounded-md border border-slate-200 bg-white p-4 text-sm sm:grid-cols-[auto_1fr]">
        {describeSpec(rule.spec).map((part) => (
          <div key={part.label} className="contents">
            <dt className="font-medium text-slate-600">{part.label}</dt>
            <dd>{part.value}</dd>
          </div>
        ))}
      </dl>
      <section aria-labelledby="status-heading" className="mb-8">
        <h2 id="status-heading" className="mb-2 text-base font-semibold">
          Status per cluster
        </h2>
        <ClusterStatusTable statuses={statuses} leftScope={leftScope} />
      </section>
      <RuleFindings ruleId={rule.id} statuses={statuses} mayDecide={(cluster) => can(user, "rules.operate", { cluster })} />
      <section aria-labelledby="history-heading" className="mb-8">
        <h2 id="history-heading" className="mb-2 text-base font-semibold">
          History
        </h2>
        <ol className="space-y-1 text-sm">
          {revisionHistory(revisions).map((revision) => (
            <li key={revision.version}>
              <span className="font-medium">v{revision.version}</span> · <RelativeTime iso={revision.changedAt} /> · {revision.changedBy}: {revision.changes.join("; ")}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
