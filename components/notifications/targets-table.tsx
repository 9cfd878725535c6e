import { RelativeTime } from "@/components/shell/relative-time";
import type { WebhookTargetRecord } from "@/lib/notifications/records";
import { DeleteTargetControl, EditTargetControl, EnableTargetControl, RotateSecretControl, SendTestControl } from "./target-controls";
import { EmptyTableRow } from "@/components/shell/empty-table-row";

/** The configured targets with their controls; URLs as `displayUrl` shows them and the secret as a hint only. */
export function TargetsTable({ targets }: { targets: WebhookTargetRecord[] }) {
  return (
    <div className="overflow-x-auto rounded-md border border-slate-200 bg-white">
      <table className="min-w-full text-sm">
        <caption className="sr-only">Webhook targets</caption>
        <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-3 py-2">Target</th>
            <th scope="col" className="px-3 py-2">Name and events</th>
            <th scope="col" className="px-3 py-2">Status</th>
            <th scope="col" className="px-3 py-2">Actions</th>
          </tr>
        </thead>
        <tbody>
          {targets.length === 0 ? (
            <EmptyTableRow columns={4}>No webhook targets yet. Add one below.</EmptyTableRow>
          ) : (
            targets.map((target) => {
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
            })
          )}
        </tbody>
      </table>
    </div>
  );
}
