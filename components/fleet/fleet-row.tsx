import Link from "next/link";
import { formatAge } from "@/components/shell/relative-time";
import type { FleetRow } from "@/lib/api/fleet";
import type { ClusterLabelling } from "@/lib/clusters/labels";
import type { FleetMeasure } from "@/lib/fleet-view/measures";
import { ClusterDisplayName, ClusterLabelChips } from "./cluster-labels";
import { CompactCoverage } from "./compact-coverage";
import { ProbeStatusBadge } from "./probe-status";
import { RefreshButton } from "./refresh-button";

const num = (n: number | null) => (n === null ? "—" : n.toLocaleString("en-US"));
const cell = "whitespace-nowrap px-3 py-1.5";

/** How long the page has waited for a cluster, in words: scanning at first, then "not answering yet (12 s)". */
export function waitingText(waitedMs: number): string {
  const seconds = Math.floor(waitedMs / 1000);
  return seconds < 3 ? "Scanning…" : `Not answering yet (${seconds} s)`;
}

function ClusterName({ row, labelling }: { row: FleetRow; labelling: ClusterLabelling }) {
  const readable = row.namespaceCount !== null;
  return (
    <th scope="row" className={`${cell} text-left font-normal`}>
      {readable ? (
        <Link href={`/clusters/${encodeURIComponent(row.cluster)}`} className="font-medium text-sky-800 hover:underline">
          <ClusterDisplayName labelling={labelling} />
        </Link>
      ) : (
        <span className="font-medium">
          <ClusterDisplayName labelling={labelling} />
        </span>
      )}
      {row.server ? <span className="ml-2 font-mono text-xs text-slate-500">{row.server}</span> : null}
      <ClusterLabelChips labels={labelling.labels} />
    </th>
  );
}

function State({ row, stale, waitedMs }: { row: FleetRow; stale: boolean; waitedMs: number | null }) {
  const readable = row.namespaceCount !== null;
  const problem = !readable || row.scanError ? row.message : row.inventoryScope === "namespaces" ? `Read namespace by namespace: ${row.notes[0] ?? "cluster-wide lists are forbidden"}` : null;
  return (
    <td className={cell}>
      <span className="flex items-center gap-2">
        <ProbeStatusBadge status={row.status} />
        {stale ? <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-950">Stale</span> : null}
        {waitedMs !== null ? (
          <span role="status" className="text-xs text-slate-600">
            {waitingText(waitedMs)}
          </span>
        ) : null}
        {row.identity ? <span className="text-xs text-slate-600">as {row.identity}</span> : null}
        {problem ? (
          <span className={`max-w-48 truncate text-xs ${readable && !row.scanError ? "text-amber-900" : "text-red-800"}`} title={problem}>
            {problem}
          </span>
        ) : null}
      </span>
    </td>
  );
}

export interface FleetRowProps {
  row: FleetRow;
  /** Its display name and labels (the clusters page); its own name and none when nobody set them. */
  labelling: ClusterLabelling;
  stale: boolean;
  /** How long a fresh answer has been awaited, or null when none is awaited. */
  waitedMs: number | null;
  canPlan: boolean;
  columns: readonly FleetMeasure[];
  now: number;
}

/** One cluster on one line: the row height is what lets fifty clusters fit on a screen or two. */
export function FleetRowView({ row, labelling, stale, waitedMs, canPlan, columns, now }: FleetRowProps) {
  const href = `/clusters/${encodeURIComponent(row.cluster)}`;
  return (
    <tr>
      <ClusterName row={row} labelling={labelling} />
      <State row={row} stale={stale} waitedMs={waitedMs} />
      <td className={`${cell} font-mono text-xs`}>{row.serverVersion ?? "—"}</td>
      <td className={`${cell} text-right tabular-nums`}>{num(row.namespaceCount)}</td>
      <td className={cell}>
        <CompactCoverage groups={row.groups} />
      </td>
      {columns.map((measure) => {
        const value = measure.value({ row, stale });
        const link = measure.column?.href && value ? measure.column.href(href) : null;
        return (
          <td key={measure.id} className={`${cell} text-right tabular-nums`}>
            {link ? (
              <Link href={link} className="font-medium text-red-800 underline">
                {num(value)}
              </Link>
            ) : (
              num(value)
            )}
          </td>
        );
      })}
      <td className={`${cell} text-right tabular-nums`}>
        <span className="inline-flex items-center gap-2">
          {num(row.legacySecretCount)}
          {row.needsMigration && canPlan ? (
            <Link href={`${href}/workflows/migrate`} className="rounded bg-amber-800 px-2 py-0.5 text-xs font-medium text-white hover:bg-amber-900">
              Migrate to API keys
            </Link>
          ) : row.needsMigration ? (
            <span className="text-xs text-amber-900">needs migration</span>
          ) : null}
        </span>
      </td>
      <td className={`${cell} text-xs text-slate-600`}>
        <span className="inline-flex items-center gap-2">
          <time dateTime={row.scannedAt} title={`${row.scannedAt.replace("T", " ").slice(0, 19)} UTC, took ${row.scanDurationMs} ms`}>
            {formatAge(now - Date.parse(row.scannedAt))}
          </time>
          <RefreshButton cluster={row.cluster} compact />
        </span>
      </td>
    </tr>
  );
}

/** A cluster the page has no row for yet. */
export function FleetRowWaiting({ labelling, waitedMs, columnCount }: { labelling: ClusterLabelling; waitedMs: number; columnCount: number }) {
  return (
    <tr>
      <th scope="row" className={`${cell} text-left font-medium`}>
        <ClusterDisplayName labelling={labelling} />
        <ClusterLabelChips labels={labelling.labels} />
      </th>
      <td colSpan={columnCount - 1} className={`${cell} text-sm text-slate-600`} role="status">
        {waitingText(waitedMs)}
      </td>
    </tr>
  );
}
