import { Suspense, type ReactNode } from "react";
import type { ClusterInfo } from "@/lib/kube/port";
import { FleetRowPending } from "./fleet-row";

/** The fleet: one row per kubeconfig context, each streamed in when `row` (a server component that waits for the scan) resolves. */
export function FleetTable({ clusters, row }: { clusters: ClusterInfo[]; row: (cluster: string) => ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-md border border-slate-200 bg-white">
      <table aria-label="Clusters" className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-3 py-2">Cluster</th>
            <th scope="col" className="px-3 py-2">Reachability</th>
            <th scope="col" className="px-3 py-2">Kubernetes</th>
            <th scope="col" className="px-3 py-2 text-right">Namespaces</th>
            <th scope="col" className="px-3 py-2">Coverage</th>
            <th scope="col" className="px-3 py-2 text-right">Legacy token secrets</th>
            <th scope="col" className="px-3 py-2 text-right">Workloads at risk</th>
            <th scope="col" className="px-3 py-2">Last scan</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {clusters.map((c) => (
            <Suspense key={c.name} fallback={<FleetRowPending cluster={c.name} />}>
              {row(c.name)}
            </Suspense>
          ))}
        </tbody>
      </table>
    </div>
  );
}
