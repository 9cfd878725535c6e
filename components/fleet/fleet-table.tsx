import { unlabelled } from "@/lib/clusters/labels";
import type { ClusterDirectory } from "@/lib/fleet-view/labels";
import type { FleetMeasure } from "@/lib/fleet-view/measures";
import { entryCluster, type FleetEntry } from "@/lib/fleet-view/model";
import { FleetRowView, FleetRowWaiting } from "./fleet-row";

export interface FleetTableProps {
  entries: readonly FleetEntry[];
  /** Clusters whose fresh answer is still awaited (a stale row shows how long). */
  awaited: ReadonlySet<string>;
  waitedMs: number;
  plannable: ReadonlySet<string>;
  columns: readonly FleetMeasure[];
  now: number;
  /** Display names and labels by cluster name. */
  directory: ClusterDirectory;
}

/** The fleet: one compact row per kubeconfig context, in the order and selection the caller decided. */
export function FleetTable({ entries, awaited, waitedMs, plannable, columns, now, directory }: FleetTableProps) {
  const labellingOf = (cluster: string) => directory.get(cluster) ?? unlabelled(cluster);
  const columnCount = 7 + columns.length;
  return (
    <div className="overflow-x-auto rounded-md border border-slate-200 bg-white">
      <table aria-label="Clusters" className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-3 py-2">Cluster</th>
            <th scope="col" className="px-3 py-2">Reachability</th>
            <th scope="col" className="px-3 py-2">Kubernetes</th>
            <th scope="col" className="px-3 py-2 text-right">Namespaces</th>
            <th scope="col" className="px-3 py-2">icr.io coverage</th>
            {columns.map((measure) => (
              <th key={measure.id} scope="col" className="px-3 py-2 text-right leading-tight">
                {measure.column?.header}
              </th>
            ))}
            <th scope="col" className="px-3 py-2 text-right leading-tight">Legacy token secrets</th>
            <th scope="col" className="px-3 py-2">Last scan</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {entries.map((entry) =>
            entry.state === "waiting" ? (
              <FleetRowWaiting key={entry.cluster} labelling={labellingOf(entry.cluster)} waitedMs={waitedMs} columnCount={columnCount} />
            ) : (
              <FleetRowView
                key={entry.row.cluster}
                row={entry.row}
                labelling={labellingOf(entry.row.cluster)}
                stale={entry.stale}
                waitedMs={awaited.has(entryCluster(entry)) ? waitedMs : null}
                canPlan={plannable.has(entry.row.cluster)}
                columns={columns}
                now={now}
              />
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
