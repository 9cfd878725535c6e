import type { ProbeStatus } from "@/lib/kube/port";

const STATUS: Record<ProbeStatus, { label: string; className: string }> = {
  reachable: { label: "Reachable", className: "bg-emerald-100 text-emerald-900" },
  forbidden: { label: "Limited access", className: "bg-amber-100 text-amber-950" },
  unauthorized: { label: "Credentials rejected", className: "bg-red-100 text-red-900" },
  unreachable: { label: "Unreachable", className: "bg-red-100 text-red-900" },
  tls_error: { label: "TLS error", className: "bg-red-100 text-red-900" },
};

export function ProbeStatusBadge({ status }: { status: ProbeStatus }) {
  const s = STATUS[status];
  return <span className={`inline-flex whitespace-nowrap rounded px-2 py-0.5 text-xs font-medium ${s.className}`}>{s.label}</span>;
}
