import Link from "next/link";
import { RelativeTime } from "@/components/shell/relative-time";
import type { RuleClusterStatus } from "@/lib/rules/store";
import { ConflictDecisionControl } from "./rule-controls";
import { STATE_CLASS, STATE_LABEL } from "./rule-view";

const cell = "px-3 py-2";

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="mb-8">
      <h2 id={id} className="mb-2 text-base font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** The rule's newest evaluation per cluster. */
export function ClusterStatusTable({ statuses, leftScope = new Set() }: { statuses: RuleClusterStatus[]; leftScope?: ReadonlySet<string> }) {
  if (statuses.length === 0) return <p className="text-sm text-slate-600">Not evaluated yet on any cluster you can see.</p>;
  const headings = ["Cluster", "State", "Matched", "Compliant", "Drift", "Conflicts", "Removals", "Last evaluated", "Last success", "Last run"];
  return (
    <div className="overflow-x-auto rounded-md border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">State of the rule per cluster</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
          <tr>
            {headings.map((heading) => (
              <th key={heading} scope="col" className={cell}>
                {heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {statuses.map((status) => (
            <tr key={status.cluster} className="border-b border-slate-100 align-top last:border-0">
              <th scope="row" className={`${cell} font-medium`}>
                {status.cluster}
                {leftScope.has(status.cluster) ? <span className="block text-xs font-normal text-amber-900">left the rule&apos;s scope: its copies here are removed</span> : null}
              </th>
              <td className={cell}>
                <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${STATE_CLASS[status.state]}`}>{STATE_LABEL[status.state]}</span>
                {status.error ? <span className="mt-1 block text-xs text-red-800">{status.error}</span> : null}
                {status.evaluation?.sourceProblem ? <span className="mt-1 block text-xs text-amber-900">{status.evaluation.sourceProblem}</span> : null}
              </td>
              <td className={cell}>{status.matched}</td>
              <td className={cell}>{status.compliant}</td>
              <td className={cell}>{status.driftCount}</td>
              <td className={cell}>{status.conflictCount}</td>
              <td className={cell}>{status.removalCount}</td>
              <td className={cell}>
                <RelativeTime iso={status.evaluatedAt} />
              </td>
              <td className={cell}>{status.lastSuccessAt ? <RelativeTime iso={status.lastSuccessAt} /> : "never"}</td>
              <td className={cell}>
                {status.lastOperationId ? (
                  <Link href={`/audit/${status.lastOperationId}`} className="text-sky-800 underline">
                    Run on {status.cluster}
                  </Link>
                ) : (
                  "—"
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Drift, conflicts (with decisions for those who may take them) and out-of-scope copies, per cluster. */
export function RuleFindings({ ruleId, statuses, mayDecide }: { ruleId: string; statuses: RuleClusterStatus[]; mayDecide: (cluster: string) => boolean }) {
  const drift = statuses.flatMap((status) => (status.evaluation?.drift ?? []).map((item) => ({ cluster: status.cluster, ...item })));
  const conflicts = statuses.flatMap((status) => (status.evaluation?.conflicts ?? []).map((item) => ({ cluster: status.cluster, ...item })));
  const removals = statuses.flatMap((status) => (status.evaluation?.removals ?? []).map((item) => ({ cluster: status.cluster, ...item })));
  return (
    <>
      <Section id="drift-heading" title={`Drift (${drift.length})`}>
        {drift.length === 0 ? (
          <p className="text-sm text-slate-600">No drift: every matched namespace is as the rule says, or waits on a conflict below.</p>
        ) : (
          <ul className="space-y-1 text-sm">
            {drift.map((item) => (
              <li key={`${item.cluster}/${item.namespace}`}>
                <span className="font-medium">
                  {item.cluster} / {item.namespace}
                </span>
                : {item.copies.map((copy) => `${copy.action} ${copy.name} from ${copy.from.namespace}/${copy.from.name}`).join("; ") || "no copies"}
                {item.attach.length ? `; attach ${item.attach.map((entry) => `${entry.names.join(", ")} to ${entry.serviceAccount}`).join("; ")}` : ""}
                {item.waitingFor.length ? `; waiting for service accounts ${item.waitingFor.join(", ")}` : ""}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section id="conflicts-heading" title={`Conflicts (${conflicts.length})`}>
        {conflicts.length === 0 ? (
          <p className="text-sm text-slate-600">No conflicts.</p>
        ) : (
          <ul className="space-y-3 text-sm">
            {conflicts.map((conflict, index) => (
              <li key={`${conflict.cluster}/${conflict.namespace}/${conflict.kind}/${index}`} className="rounded border border-red-200 bg-white p-3">
                <p>
                  <span className="font-medium">
                    {conflict.cluster} / {conflict.namespace}
                  </span>
                  {conflict.secret ? ` · secret ${conflict.secret}` : ""}
                  {conflict.serviceAccount ? ` · service account ${conflict.serviceAccount}` : ""}: {conflict.reason}
                </p>
                {conflict.secret && (conflict.kind === "foreign_secret" || conflict.kind === "managed_secret") && mayDecide(conflict.cluster) ? (
                  <ConflictDecisionControl ruleId={ruleId} cluster={conflict.cluster} namespace={conflict.namespace} secret={conflict.secret} mayAdopt={conflict.kind === "foreign_secret"} />
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section id="removals-heading" title={`Out-of-scope copies (${removals.length})`}>
        {removals.length === 0 ? (
          <p className="text-sm text-slate-600">None: every copy this rule made is in a namespace it still matches.</p>
        ) : (
          <ul className="space-y-1 text-sm">
            {removals.map((removal) => (
              <li key={`${removal.cluster}/${removal.namespace}/${removal.secret}`}>
                <span className="font-medium">
                  {removal.cluster} / {removal.namespace}
                </span>
                : {removal.secret}
                {removal.serviceAccounts.length ? `, still attached to ${removal.serviceAccounts.join(", ")}` : ""}
                {removal.deploymentTemplates.length ? `, kept while Deployments ${removal.deploymentTemplates.join(", ")} name it` : ""}
                {removal.operationId ? (
                  <>
                    {" "}
                    (<Link href={`/audit/${removal.operationId}`} className="text-sky-800 underline">made by this run</Link>)
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </>
  );
}
