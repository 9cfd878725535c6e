import { DataTable, type DataTableColumn } from "@/components/shell/data-table";
import { RelativeTime } from "@/components/shell/relative-time";
import type { AdminClusterRow } from "@/lib/clusters/admin-view";
import { formatLabels } from "@/lib/clusters/label-text";
import { DisableClusterControl, EditClusterControl, RemoveIbmClusterControl, TestConnectionControl, type ClusterRowData } from "./cluster-controls";
import { RemoveRegisteredCluster } from "./remove-registered-cluster";

const SOURCE_LABEL: Record<AdminClusterRow["source"], string> = {
  kubeconfig: "Kubeconfig context",
  "in-cluster": "In-cluster",
  ibm: "IBM Cloud account",
  registered: "Registered",
};

/** "expires in 14m" / "expired 3m ago": an expiry is a future time, which RelativeTime does not say. */
function Expiry({ iso, now }: { iso: string; now: number }) {
  const minutes = Math.round((new Date(iso).getTime() - now) / 60_000);
  const words = minutes >= 0 ? `expires in ${minutes < 120 ? `${minutes}m` : `${Math.round(minutes / 60)}h`}` : `expired ${-minutes}m ago`;
  return (
    <time dateTime={iso} title={iso.replace("T", " ").slice(0, 19) + " UTC"} className={minutes < 0 ? "text-red-800" : undefined}>
      {words}
    </time>
  );
}

function Credential({ row, now }: { row: AdminClusterRow; now: number }) {
  return (
    <div className="space-y-0.5 text-xs">
      <div>{row.authentication}</div>
      {row.credentialExpiresAt ? (
        <div>
          Token <Expiry iso={row.credentialExpiresAt} now={now} />
        </div>
      ) : null}
      {row.lastRefreshAt ? (
        <div>
          Last refreshed <RelativeTime iso={row.lastRefreshAt} now={now} />
        </div>
      ) : null}
      {!row.credentialExpiresAt && !row.lastRefreshAt && row.credentialNote ? <div className="text-slate-500">{row.credentialNote}</div> : null}
    </div>
  );
}

function State({ row, now }: { row: AdminClusterRow; now: number }) {
  const reach = row.reachability;
  return (
    <div className="space-y-1 text-xs">
      <div>
        {row.disabled ? <span className="rounded bg-slate-200 px-1.5 py-0.5 font-medium text-slate-700">Disabled</span> : <span className="rounded bg-emerald-50 px-1.5 py-0.5 font-medium text-emerald-800">Enabled</span>}
      </div>
      <div>
        {!row.connected ? (
          <span className="text-red-800">Not connected</span>
        ) : reach ? (
          <span className={reach.status === "reachable" ? "text-emerald-800" : "text-red-800"} title={reach.message}>
            {reach.status === "reachable" ? "Reachable" : `Unreachable (${reach.status.replace("_", " ")})`} at last scan, <RelativeTime iso={reach.checkedAt} now={now} />
          </span>
        ) : (
          <span className="text-slate-500">Not scanned yet</span>
        )}
      </div>
      {row.lastError ? (
        <div className="text-red-800">
          <span className="font-medium">Last error:</span> {row.lastError}
        </div>
      ) : null}
    </div>
  );
}

function Labels({ labels }: { labels: Record<string, string> }) {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return <span className="text-xs text-slate-500">No labels</span>;
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Labels">
      {keys.map((key) => (
        <li key={key} className="rounded bg-sky-50 px-1.5 py-0.5 font-mono text-xs text-sky-900">
          {key}={labels[key]}
        </li>
      ))}
    </ul>
  );
}

const CLUSTER_COLUMNS: DataTableColumn[] = [{ label: "Cluster" }, { label: "Source and authentication" }, { label: "State" }, { label: "Display name and labels" }, { label: "Actions" }];

/** Every cluster Pullkeeper knows, whatever its source, with what an admin can do to each. */
export function ClustersTable({ rows, now }: { rows: AdminClusterRow[]; now: number }) {
  return (
    <DataTable caption="Clusters" columns={CLUSTER_COLUMNS} empty="No clusters yet: set KUBECONFIG, register a cluster below, or connect an IBM Cloud account.">
      {rows.map((row) => {
        const data: ClusterRowData = { name: row.name, displayName: row.displayName, labelsText: formatLabels(row.labels), disabled: row.disabled, version: row.version };
        return (
          <tr key={row.name} className={`border-t border-slate-100 align-top ${row.disabled ? "bg-slate-50 text-slate-600" : ""}`}>
            <th scope="row" className="px-3 py-2 text-left font-normal">
              <div className="font-medium text-slate-900">{row.name}</div>
              {row.displayName ? <div className="text-xs">{row.displayName}</div> : null}
              <div className="mt-1">
                <Labels labels={row.labels} />
              </div>
              {row.server ? <div className="mt-1 break-all font-mono text-xs text-slate-500">{row.server}</div> : null}
            </th>
            <td className="px-3 py-2">
              <div className="text-xs font-medium">{SOURCE_LABEL[row.source]}</div>
              <div className="mb-1 text-xs text-slate-600">{row.origin}</div>
              <Credential row={row} now={now} />
            </td>
            <td className="px-3 py-2">
              <State row={row} now={now} />
            </td>
            <td className="min-w-64 px-3 py-2">
              <EditClusterControl cluster={data} />
            </td>
            <td className="min-w-48 space-y-2 px-3 py-2">
              <TestConnectionControl name={row.name} />
              <DisableClusterControl cluster={data} />
              {row.removal === "ibm" ? <RemoveIbmClusterControl cluster={data} /> : null}
              {row.removal === "registered" ? (
                <details>
                  <summary className="cursor-pointer text-sm text-red-800">Remove…</summary>
                  <RemoveRegisteredCluster name={row.name} />
                </details>
              ) : null}
              {row.removalNote ? <p className="text-xs text-slate-500">{row.removalNote}</p> : null}
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
