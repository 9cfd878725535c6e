import Link from "next/link";
import type { OperationRecord } from "@/lib/audit/port";
import { RelativeTime } from "@/components/shell/relative-time";
import { StatusBadge } from "./status-badge";

export function OperationsTable({ operations }: { operations: OperationRecord[] }) {
  if (operations.length === 0) {
    return (
      <p className="rounded-md border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">
        No operation matches these filters. Every preview, workflow run and denied attempt is recorded here.
      </p>
    );
  }
  return (
    <div className="overflow-x-auto rounded-md border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Operations, newest first</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-3 py-2">Started</th>
            <th scope="col" className="px-3 py-2">Operation</th>
            <th scope="col" className="px-3 py-2">Status</th>
            <th scope="col" className="px-3 py-2">Cluster</th>
            <th scope="col" className="px-3 py-2">Namespaces</th>
            <th scope="col" className="px-3 py-2">Actor</th>
            <th scope="col" className="px-3 py-2 text-right">Steps ok / failed / skipped</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {operations.map((operation) => (
            <tr key={operation.id} className="hover:bg-slate-50">
              <td className="whitespace-nowrap px-3 py-2 text-slate-600">
                <RelativeTime iso={operation.startedAt} />
              </td>
              <td className="px-3 py-2">
                <Link href={`/audit/${operation.id}`} className="font-medium text-sky-800 underline-offset-2 hover:underline">
                  {operation.kind.replaceAll("_", " ")}
                </Link>
                {operation.summary ? <div className="max-w-md truncate text-xs text-slate-500">{operation.summary}</div> : null}
              </td>
              <td className="px-3 py-2">
                <StatusBadge status={operation.status} />
              </td>
              <td className="px-3 py-2">{operation.cluster ?? "—"}</td>
              <td className="max-w-xs truncate px-3 py-2" title={operation.namespaces.join(", ")}>
                {operation.namespaces.length > 3
                  ? `${operation.namespaces.slice(0, 3).join(", ")} +${operation.namespaces.length - 3}`
                  : operation.namespaces.join(", ") || "—"}
              </td>
              <td className="px-3 py-2">{operation.actor}</td>
              <td className="whitespace-nowrap px-3 py-2 text-right font-mono text-xs">
                {operation.counts.succeeded} / {operation.counts.failed} / {operation.counts.skipped}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
