import type { OperationStatus } from "@/lib/audit/port";

const STYLES: Record<OperationStatus, string> = {
  planned: "bg-slate-100 text-slate-700",
  running: "bg-sky-100 text-sky-800",
  succeeded: "bg-emerald-100 text-emerald-800",
  failed: "bg-red-100 text-red-800",
  partially_failed: "bg-amber-100 text-amber-900",
  interrupted: "bg-orange-100 text-orange-900",
  dry_run: "bg-violet-100 text-violet-800",
};

const LABELS: Record<OperationStatus, string> = {
  planned: "Planned",
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  partially_failed: "Partially failed",
  interrupted: "Interrupted",
  dry_run: "Preview",
};

export function StatusBadge({ status }: { status: OperationStatus }) {
  return (
    <span className={`inline-flex rounded px-2 py-0.5 text-xs font-medium ${STYLES[status]}`}>{LABELS[status]}</span>
  );
}

export function statusLabel(status: OperationStatus): string {
  return LABELS[status];
}
