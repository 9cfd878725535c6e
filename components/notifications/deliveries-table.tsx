import { DataTable, type DataTableColumn } from "@/components/shell/data-table";
import { formatAge, RelativeTime } from "@/components/shell/relative-time";
import type { DeliveryRecord } from "@/lib/notifications/records";

const STATUS_LABELS: Record<DeliveryRecord["status"], { text: string; className: string }> = {
  pending: { text: "Pending", className: "bg-sky-100 text-sky-900" },
  delivered: { text: "Delivered", className: "bg-emerald-100 text-emerald-900" },
  failed: { text: "Failed", className: "bg-red-100 text-red-900" },
  giving_up: { text: "Gave up", className: "bg-red-100 text-red-900" },
};

/** Server components render once per request, so "now" is the request's time. */
function renderTime(): number {
  return Date.now();
}

/** When a pending delivery is tried next: "now" once due (the sender polls every few seconds). */
function NextAttempt({ iso }: { iso: string | null }) {
  if (!iso) return <span>—</span>;
  const wait = new Date(iso).getTime() - renderTime();
  return <time dateTime={iso}>{wait <= 0 ? "now" : `in ${formatAge(wait).replace(" ago", "")}`}</time>;
}

const DELIVERY_COLUMNS: DataTableColumn[] = [{ label: "Event" }, { label: "Target" }, { label: "Status" }, { label: "Attempts" }, { label: "Last answer" }, { label: "Next attempt" }, { label: "Created" }];

/** Recent deliveries with every attempt's outcome: the place to see why a target heard nothing. */
export function DeliveriesTable({ deliveries }: { deliveries: DeliveryRecord[] }) {
  return (
    <DataTable caption="Recent webhook deliveries" columns={DELIVERY_COLUMNS} empty="No deliveries yet. Send a test to a target to see one here.">
      {deliveries.map((delivery) => {
        const status = STATUS_LABELS[delivery.status];
        return (
          <tr key={delivery.id} className="border-t border-slate-100 align-top">
            <th scope="row" className="px-3 py-2 text-left font-normal">
              <code className="text-xs text-slate-900">{delivery.event}</code>
              <div className="font-mono text-[11px] text-slate-500">{delivery.id}</div>
            </th>
            <td className="px-3 py-2">{delivery.targetName}</td>
            <td className="px-3 py-2">
              <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${status.className}`}>{status.text}</span>
            </td>
            <td className="px-3 py-2 tabular-nums">{delivery.attempts}</td>
            <td className="max-w-sm px-3 py-2 text-xs">
              {delivery.lastStatusCode !== null ? <span className="font-mono">HTTP {delivery.lastStatusCode}</span> : null}
              {delivery.lastError ? <div className="text-slate-700">{delivery.lastError}</div> : null}
              {delivery.lastStatusCode === null && !delivery.lastError ? <span className="text-slate-500">—</span> : null}
            </td>
            <td className="px-3 py-2 text-xs"><NextAttempt iso={delivery.nextAttemptAt} /></td>
            <td className="px-3 py-2 text-xs">
              <RelativeTime iso={delivery.createdAt} />
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
