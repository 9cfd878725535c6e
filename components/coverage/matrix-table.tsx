"use client";

import Link from "next/link";
import { registrySortKey, type MatrixRow, type MatrixSort, type SortKey } from "@/lib/api/matrix-query";
import { STATE_CODES, type MatrixDomain } from "@/lib/api/matrix";
import { STATE_DISPLAY, VERIFICATION_DISPLAY } from "./states";

function FindingBadges({ row }: { row: MatrixRow }) {
  const items = [
    row.atRisk ? `${row.atRisk} at risk` : null,
    row.dangling ? `${row.dangling} dangling` : null,
    row.stale ? `${row.stale} stale copy` : null,
    row.restart ? `${row.restart} restart` : null,
    row.hasDefaultServiceAccount ? null : "no default SA",
  ].filter((x): x is string => x !== null);
  if (items.length === 0) return <span className="text-slate-500">—</span>;
  return (
    <ul className="flex flex-wrap gap-1">
      {items.map((t) => (
        <li key={t} className="whitespace-nowrap rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-950">
          {t}
        </li>
      ))}
    </ul>
  );
}

/** The column headers: select-page checkbox, then a sort button per column with its aria-sort. */
function MatrixHead({ domains, sort, onSort, pageAllSelected, onTogglePage }: { domains: readonly MatrixDomain[]; sort: MatrixSort; onSort: (key: SortKey) => void; pageAllSelected: boolean; onTogglePage: (on: boolean) => void }) {
  const ariaSort = (key: SortKey) => (sort.key === key ? (sort.direction === "asc" ? "ascending" : "descending") : undefined);
  const sortMark = (key: SortKey) => (sort.key === key ? (sort.direction === "asc" ? " ▲" : " ▼") : "");
  return (
    <thead className="border-b border-slate-200 bg-slate-50 text-xs text-slate-600">
      <tr>
        <th scope="col" className="w-8 px-2 py-2">
          <input type="checkbox" aria-label="Select every namespace on this page" checked={pageAllSelected} onChange={(e) => onTogglePage(e.target.checked)} />
        </th>
        <th scope="col" aria-sort={ariaSort("namespace")} className="px-2 py-2">
          <button type="button" onClick={() => onSort("namespace")} className="font-semibold uppercase tracking-wide">
            Namespace{sortMark("namespace")}
          </button>
        </th>
        {domains.map((d) => (
          <th key={d.registry} scope="col" aria-sort={ariaSort(registrySortKey(d.registry))} className="px-1 py-2">
            <button type="button" onClick={() => onSort(registrySortKey(d.registry))} title={d.successor ? `Discontinued; successor ${d.successor}` : (d.region ?? d.group)} className="text-left font-semibold">
              {d.registry}
              {sortMark(registrySortKey(d.registry))}
              <span className="block font-normal text-slate-500">{d.group === "legacy-icr" ? "legacy" : d.group === "icr" ? (d.region ?? "icr.io") : d.group}</span>
            </button>
          </th>
        ))}
        <th scope="col" aria-sort={ariaSort("findings")} className="px-2 py-2">
          <button type="button" onClick={() => onSort("findings")} className="font-semibold uppercase tracking-wide">
            Findings{sortMark("findings")}
          </button>
        </th>
      </tr>
    </thead>
  );
}

interface RowProps {
  cluster: string;
  domains: readonly MatrixDomain[];
  row: MatrixRow;
  rowIndex: number;
  selected: boolean;
  onToggle: (on: boolean) => void;
  onOpenCell: (column: number) => void;
}

/**
 * One namespace: its selection box, its link, one cell button per registry and its findings. Lean markup, since a page
 * has up to 250 of these: cells are styled by their `data-state` code (app/globals.css), the row carries the namespace
 * once (`data-namespace`, for the hint), and a cell's column is its position.
 */
function MatrixRowView({ cluster, domains, row, rowIndex, selected, onToggle, onOpenCell }: RowProps) {
  return (
    <tr aria-rowindex={rowIndex} data-namespace={row.namespace} className={selected ? "bg-sky-50" : "hover:bg-slate-50"}>
      <td className="px-2">
        <input type="checkbox" aria-label={`Select ${row.namespace}`} checked={selected} onChange={(e) => onToggle(e.target.checked)} />
      </td>
      <th scope="row" className="px-2 py-1 font-normal">
        {/* Not prefetched: a page of rows would ask the server to render up to 250 namespace pages nobody opened. */}
        <Link href={`/clusters/${encodeURIComponent(cluster)}/namespaces/${encodeURIComponent(row.namespace)}`} prefetch={false} className="font-medium text-sky-800 hover:underline">
          {row.namespace}
        </Link>
        {row.labelText ? <span className="block max-w-[16rem] truncate text-xs text-slate-600" title={row.labelText}>{row.labelText}</span> : null}
      </th>
      {domains.map((d, i) => {
        const state = row.states[i] ?? "missing";
        const s = STATE_DISPLAY[state];
        const v = VERIFICATION_DISPLAY[row.verification[i] ?? "unknown"];
        // The label names the cell for assistive technology; the icon and word repeat it for the eye (colour is never the only cue).
        return (
          <td key={d.registry}>
            <button type="button" onClick={() => onOpenCell(i)} aria-label={`${row.namespace}, ${d.registry}: ${s.label}${v ? `, ${v.label}` : ""}`} data-state={STATE_CODES[state]}>
              {`${s.icon} ${s.short}`}
              {v ? <span title={v.label}>{` ${v.icon}`}</span> : null}
            </button>
          </td>
        );
      })}
      <td className="px-2">
        <FindingBadges row={row} />
      </td>
    </tr>
  );
}

/** The first cell button column's position in a row (after the selection box and the namespace). */
export const FIRST_CELL_INDEX = 2;

/** The namespace and column of a matrix cell button (or an element inside one), from the row and the cell's position. */
export function cellAt(target: EventTarget | null): { namespace: string; column: number } | null {
  const cell = target instanceof Element ? target.closest("button[data-state]")?.parentElement : null;
  const row = cell?.parentElement;
  if (!(cell instanceof HTMLTableCellElement) || !(row instanceof HTMLTableRowElement) || !row.dataset.namespace) return null;
  return { namespace: row.dataset.namespace, column: cell.cellIndex - FIRST_CELL_INDEX };
}

export interface MatrixTableProps {
  cluster: string;
  domains: readonly MatrixDomain[];
  /** The rows of the current page only. */
  items: readonly MatrixRow[];
  /** 1-based position of the page's first row among the filtered rows. */
  from: number;
  filteredCount: number;
  /** Hydrated and showing the view the controls ask for. */
  ready: boolean;
  /** A new view is being fetched: the rows shown are the previous view's. */
  busy: boolean;
  selected: ReadonlySet<string>;
  sort: MatrixSort;
  onSort: (key: SortKey) => void;
  onToggle: (namespaces: string[], on: boolean) => void;
  onOpenCell: (namespace: string, column: number) => void;
  /** Hover or focus inside the body: the event's target is the cell (if any) to explain. */
  onHint: (event: React.SyntheticEvent) => void;
}

/** The matrix table itself; only the current page is in the DOM (and in the page the server sent). */
export function MatrixTable({ cluster, domains, items, from, filteredCount, ready, busy, selected, sort, onSort, onToggle, onOpenCell, onHint }: MatrixTableProps) {
  const pageAllSelected = items.length > 0 && items.every((r) => selected.has(r.namespace));
  return (
    <table aria-label="Coverage matrix" data-ready={ready ? "true" : "false"} aria-busy={busy || undefined} aria-rowcount={filteredCount + 1} className={`w-full text-left text-sm ${busy ? "opacity-60" : ""}`}>
      <MatrixHead domains={domains} sort={sort} onSort={onSort} pageAllSelected={pageAllSelected} onTogglePage={(on) => onToggle(items.map((r) => r.namespace), on)} />
      {/* Cell styles live once in app/globals.css (.coverage-cells): a 250-row page has thousands of cells. */}
      <tbody onMouseOver={onHint} onFocus={onHint} className="coverage-cells divide-y divide-slate-100">
        {items.map((row, index) => (
          <MatrixRowView
            key={row.namespace}
            cluster={cluster}
            domains={domains}
            row={row}
            rowIndex={from + index + 1}
            selected={selected.has(row.namespace)}
            onToggle={(on) => onToggle([row.namespace], on)}
            onOpenCell={(column) => onOpenCell(row.namespace, column)}
          />
        ))}
      </tbody>
    </table>
  );
}
