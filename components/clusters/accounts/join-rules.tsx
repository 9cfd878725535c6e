import { RelativeTime } from "@/components/shell/relative-time";
import { AddJoinRuleForm, RemoveJoinRuleButton } from "./join-rule-form";
import { EmptyTableRow } from "@/components/shell/empty-table-row";

export interface JoinRuleRow {
  id: string;
  description: string;
  createdBy: string;
  lastEvaluatedAt: string | null;
  lastError: string | null;
  joinedCount: number;
}

/** The account's join rules with their last run, and the form that adds one (evaluated at once). */
export function JoinRules({ accountId, rules, resourceGroups, tags }: { accountId: string; rules: JoinRuleRow[]; resourceGroups: string[]; tags: string[] }) {
  return (
    <div className="grid gap-4">
      <div className="overflow-x-auto rounded-md border border-slate-200 bg-white">
        <table className="min-w-full text-sm">
          <caption className="sr-only">Join rules</caption>
          <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-3 py-2">Rule</th>
              <th scope="col" className="px-3 py-2">Last run</th>
              <th scope="col" className="px-3 py-2">Clusters it added</th>
              <th scope="col" className="px-3 py-2">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rules.length === 0 ? (
              <EmptyTableRow columns={4}>No join rules: only the clusters you add yourself are connected.</EmptyTableRow>
            ) : (
              rules.map((rule) => (
                <tr key={rule.id} className="border-t border-slate-100 align-top">
                  <th scope="row" className="px-3 py-2 text-left font-normal">
                    <div className="font-medium text-slate-900">{rule.description}</div>
                    <div className="text-xs text-slate-500">Added by {rule.createdBy}</div>
                  </th>
                  <td className="px-3 py-2">
                    {rule.lastEvaluatedAt ? <RelativeTime iso={rule.lastEvaluatedAt} /> : "Not yet"}
                    {rule.lastError ? <div className="text-xs text-red-800">{rule.lastError}</div> : null}
                  </td>
                  <td className="px-3 py-2">{rule.joinedCount}</td>
                  <td className="px-3 py-2">
                    <RemoveJoinRuleButton ruleId={rule.id} description={rule.description} />
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <AddJoinRuleForm accountId={accountId} resourceGroups={resourceGroups} tags={tags} />
    </div>
  );
}

