import type { Metadata } from "next";
import Link from "next/link";
import { primaryButtonClass } from "@/components/forms/field";
import { summarizeStatuses } from "@/components/rules/rule-view";
import { PageHeader } from "@/components/shell/page-header";
import { RelativeTime } from "@/components/shell/relative-time";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { listRules, ruleStatuses } from "@/lib/server/rule-service";

export const metadata: Metadata = { title: "Keeping rules" };
export const dynamic = "force-dynamic";

export default async function RulesPage() {
  const user = await requireUser("coverage.read");
  const [rules, statuses] = await Promise.all([listRules(), ruleStatuses(user)]);
  return (
    <>
      <PageHeader
        title="Keeping rules"
        description="Rules keep namespaces able to pull as they come and go: in report mode drift is shown, in enforce mode Pullkeeper fixes it as the rule (actor rule:<name>) and lists what it must not overwrite as conflicts for a person to decide."
        actions={
          can(user, "rules.manage") ? (
            <Link href="/rules/new" className={primaryButtonClass}>
              New rule
            </Link>
          ) : null
        }
      />
      {rules.length === 0 ? (
        <p className="rounded-md border border-slate-200 bg-white p-6 text-sm text-slate-600">No keeping rules yet.</p>
      ) : (
        <div className="overflow-x-auto rounded-md border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Keeping rules with their state per cluster</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">Rule</th>
                <th scope="col" className="px-3 py-2">Mode</th>
                <th scope="col" className="px-3 py-2">Clusters</th>
                <th scope="col" className="px-3 py-2">Kept</th>
                <th scope="col" className="px-3 py-2">Drift</th>
                <th scope="col" className="px-3 py-2">Conflicts</th>
                <th scope="col" className="px-3 py-2">Cannot evaluate</th>
                <th scope="col" className="px-3 py-2">Last evaluated</th>
              </tr>
            </thead>
            <tbody>
              {rules.map((rule) => {
                const summary = summarizeStatuses(statuses.filter((status) => status.ruleId === rule.id));
                return (
                  <tr key={rule.id} className="border-b border-slate-100 last:border-0">
                    <th scope="row" className="px-3 py-2 font-medium">
                      <Link href={`/rules/${rule.id}`} className="text-sky-800 underline">
                        {rule.name}
                      </Link>
                      {rule.description ? <span className="block text-xs font-normal text-slate-500">{rule.description}</span> : null}
                    </th>
                    <td className="px-3 py-2">
                      {rule.mode}
                      {rule.paused ? <span className="ml-2 rounded bg-slate-200 px-1.5 py-0.5 text-xs">paused</span> : null}
                    </td>
                    <td className="px-3 py-2">{rule.spec.clusters.mode === "labels" ? <code className="text-xs">{rule.spec.clusters.labelSelector}</code> : rule.spec.clusters.mode === "all" ? "all" : rule.spec.clusters.names.join(", ")}</td>
                    <td className="px-3 py-2">{summary.ok}</td>
                    <td className="px-3 py-2">{summary.drift}</td>
                    <td className="px-3 py-2">{summary.conflict}</td>
                    <td className="px-3 py-2">{summary.error}</td>
                    <td className="px-3 py-2">{summary.lastEvaluatedAt ? <RelativeTime iso={summary.lastEvaluatedAt} /> : "not yet"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
