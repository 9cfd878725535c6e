import { DataTable, type DataTableColumn } from "@/components/shell/data-table";
import { RelativeTime } from "@/components/shell/relative-time";
import type { WebhookTargetRecord } from "@/lib/notifications/records";
import { DeleteTargetControl, EditTargetControl, EnableTargetControl, RotateSecretControl, SendTestControl } from "./target-controls";

const TARGET_COLUMNS: DataTableColumn[] = [{ label: "Target" }, { label: "Name and events" }, { label: "Status" }, { label: "Actions" }];

/** The configured targets with their controls; URLs as `displayUrl` shows them and the secret as a hint only. */
export function TargetsTable({ targets }: { targets: WebhookTargetRecord[] }) {
  return (
    <DataTable caption="Webhook targets" columns={TARGET_COLUMNS} empty="No webhook targets yet. Add one below.">
      {targets.map((target) => {
        const row = { id: target.id, name: target.name, events: target.events, enabled: target.enabled };
        return (
          <tr key={target.id} className={`border-t border-slate-100 align-top ${target.enabled ? "" : "bg-slate-50 text-slate-500"}`}>
            <th scope="row" className="px-3 py-2 text-left font-normal">
              <div className="font-medium text-slate-900">{target.name}</div>
              <div className="font-mono text-xs">{target.url}</div>
              <div className="text-xs">{target.format === "slack" ? "Slack body" : "JSON body"} · secret {target.secretHint}</div>
              <div className="text-xs">
                Added by {target.createdBy} <RelativeTime iso={target.createdAt} />
              </div>
            </th>
            <td className="px-3 py-2">
              <EditTargetControl target={row} />
            </td>
            <td className="px-3 py-2">
              <div className="mb-1 text-xs">{target.enabled ? "Enabled" : "Disabled"}</div>
              <EnableTargetControl target={row} />
            </td>
            <td className="space-y-2 px-3 py-2">
              <SendTestControl target={row} />
              <RotateSecretControl target={row} />
              <DeleteTargetControl target={row} />
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
