import Link from "next/link";
import { CoverageBar } from "@/components/coverage/coverage-bar";
import { RelativeTime } from "@/components/shell/relative-time";
import type { FleetRow } from "@/lib/api/fleet";
import { ProbeStatusBadge } from "./probe-status";
import { RefreshButton } from "./refresh-button";

const num = (n: number | null) => (n === null ? "—" : n.toLocaleString("en-US"));

export function FleetRowView({ row, canPlan }: { row: FleetRow; canPlan: boolean }) {
  const href = `/clusters/${encodeURIComponent(row.cluster)}`;
  const readable = row.namespaceCount !== null;
  return (
    <tr className="align-top">
      <th scope="row" className="px-3 py-3 font-normal">
        {readable ? (
          <Link href={href} className="font-medium text-sky-800 hover:underline">
            {row.cluster}
          </Link>
        ) : (
          <span className="font-medium">{row.cluster}</span>
        )}
        {row.server ? <span className="block font-mono text-xs text-slate-500">{row.server}</span> : null}
      </th>
      <td className="px-3 py-3">
        <ProbeStatusBadge status={row.status} />
        {row.identity ? <span className="mt-1 block text-xs text-slate-600">as {row.identity}</span> : null}
        {!readable || row.scanError ? <p className="mt-1 max-w-xs text-xs text-red-800">{row.message}</p> : null}
        {row.inventoryScope === "namespaces" ? <p className="mt-1 max-w-xs text-xs text-amber-900">Read namespace by namespace: {row.notes[0] ?? "cluster-wide lists are forbidden"}</p> : null}
      </td>
      <td className="whitespace-nowrap px-3 py-3 font-mono text-xs">{row.serverVersion ?? "—"}</td>
      <td className="px-3 py-3 text-right tabular-nums">{num(row.namespaceCount)}</td>
      <td className="space-y-2 px-3 py-3">
        {row.groups.length ? row.groups.map((g) => <CoverageBar key={g.group} label={g.label} full={g.fullyCovered} partial={g.partiallyCovered} uncovered={g.uncovered} />) : <span className="text-slate-500">—</span>}
      </td>
      <td className="px-3 py-3 text-right tabular-nums">
        {num(row.legacySecretCount)}
        {row.needsMigration && !canPlan ? <span className="block text-xs text-amber-900">needs migration</span> : null}
        {row.needsMigration && canPlan ? (
          <Link href={`${href}/workflows/migrate`} className="mt-1 block whitespace-nowrap rounded bg-amber-800 px-2 py-1 text-center text-xs font-medium text-white hover:bg-amber-900">
            Migrate to API keys
          </Link>
        ) : null}
      </td>
      <td className="px-3 py-3 text-right tabular-nums">
        {row.workloadsAtRisk ? <Link href={`${href}?findings=1`} className="font-medium text-red-800 underline">{num(row.workloadsAtRisk)}</Link> : num(row.workloadsAtRisk)}
      </td>
      <td className="whitespace-nowrap px-3 py-3 text-xs text-slate-600">
        <RelativeTime iso={row.scannedAt} />
        <span className="block">{row.scanDurationMs} ms</span>
        <span className="mt-1 block">
          <RefreshButton cluster={row.cluster} />
        </span>
      </td>
    </tr>
  );
}

export function FleetRowPending({ cluster }: { cluster: string }) {
  return (
    <tr>
      <th scope="row" className="px-3 py-3 text-left font-medium">
        {cluster}
      </th>
      <td colSpan={7} className="px-3 py-3 text-sm text-slate-500" role="status">
        Scanning…
      </td>
    </tr>
  );
}
