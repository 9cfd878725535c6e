import { DataTable, type DataTableColumn } from "@/components/shell/data-table";
import { RelativeTime } from "@/components/shell/relative-time";
import { AddJoinRuleForm, RemoveJoinRuleButton } from "./join-rule-form";

export interface JoinRuleRow {
  id: string;
  description: string;
  createdBy: string;
  lastEvaluatedAt: string | null;
  lastError: string | null;
  joinedCount: number;
}

const RULE_COLUMNS: DataTableColumn[] = [{ label: "Rule" }, { label: "Last run" }, { label: "Clusters it added" }, { label: "Actions", srOnly: true }];

/** The account's join rules with their last run, and the form that adds one (evaluated at once). */
export function JoinRules({ accountId, rules, resourceGroups, tags }: { accountId: string; rules: JoinRuleRow[]; resourceGroups: string[]; tags: string[] }) {
  return (
    <div className="grid gap-4">
      <DataTable caption="Join rules" columns={RULE_COLUMNS} empty="No join rules: only the clusters you add yourself are connected.">
        {rules.map((rule) => (
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
        ))}
      </DataTable>
      <AddJoinRuleForm accountId={accountId} resourceGroups={resourceGroups} tags={tags} />
    </div>
  );
}

