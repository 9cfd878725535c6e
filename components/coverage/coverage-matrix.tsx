"use client";

import Link from "next/link";
import { useDeferredValue, useMemo, useState, useSyncExternalStore } from "react";
import type { MatrixPayload } from "@/lib/api/matrix";
import { CellDetailPanel } from "./cell-detail-panel";
import { MatrixFilters } from "./matrix-filters";
import { bulkHref, decodeMatrix, EMPTY_FILTER, filterRows, pageOf, sortRows, type MatrixFilter, type MatrixRow, type MatrixSort, type SortKey } from "./matrix-model";
import { STATE_DISPLAY, VERIFICATION_DISPLAY } from "./states";

const FILTER_PARAMS: Record<keyof MatrixFilter, string> = { text: "q", state: "state", domain: "domain", selector: "selector", findingsOnly: "findings" };

function syncUrl(filter: MatrixFilter) {
  const url = new URL(window.location.href);
  for (const [key, param] of Object.entries(FILTER_PARAMS) as [keyof MatrixFilter, string][]) {
    const value = filter[key];
    if (value === EMPTY_FILTER[key]) url.searchParams.delete(param);
    else url.searchParams.set(param, String(value === true ? "1" : value));
  }
  window.history.replaceState(window.history.state, "", url);
}

const noSubscription = () => () => undefined;

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

/**
 * The namespaces x registries matrix: filters, sorting, paging (only one page is
 * in the DOM, so 2,000 namespaces stay smooth), row selection across pages, bulk
 * links to the copy/attach workflows, and a details panel per cell.
 */
export function CoverageMatrix({ payload, initialFilter, canPlan }: { payload: MatrixPayload; initialFilter: MatrixFilter; canPlan: boolean }) {
  const { cluster, domains } = payload;
  const rows = useMemo(() => decodeMatrix(payload), [payload]);
  const [filter, setFilter] = useState<MatrixFilter>(initialFilter);
  const [sort, setSort] = useState<MatrixSort>({ key: "namespace", direction: "asc" });
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [detail, setDetail] = useState<{ namespace: string; column: number } | null>(null);
  // False in the server render, true once hydrated: the `data-ready` marker tests and measurements wait for.
  const ready = useSyncExternalStore(noSubscription, () => true, () => false);
  const [hint, setHint] = useState<{ namespace: string; column: number } | null>(null);
  const deferredFilter = useDeferredValue(filter);

  const { rows: filtered, selectorError } = useMemo(() => filterRows(rows, domains, deferredFilter), [rows, domains, deferredFilter]);
  const sorted = useMemo(() => sortRows(filtered, sort), [filtered, sort]);
  const view = pageOf(sorted, page, pageSize);
  const allFilteredSelected = filtered.length > 0 && selected.size === filtered.length && filtered.every((r) => selected.has(r.namespace));
  const pageAllSelected = view.items.length > 0 && view.items.every((r) => selected.has(r.namespace));
  const selectedList = useMemo(() => [...selected], [selected]);
  const detailRow = detail ? rows.find((r) => r.namespace === detail.namespace) : undefined;
  const detailDomain = detail ? domains[detail.column] : undefined;

  // One explanation line for whichever cell is hovered or focused, instead of a tooltip per cell.
  const showHint = (e: React.SyntheticEvent) => {
    const cell = (e.target as HTMLElement).closest<HTMLElement>("button.cell");
    if (!cell) return;
    const column = Number(cell.dataset.column);
    const namespace = cell.dataset.namespace ?? "";
    if (hint?.namespace !== namespace || hint.column !== column) setHint({ namespace, column });
  };
  const hintRow = hint ? rows.find((r) => r.namespace === hint.namespace) : undefined;
  const hintDomain = hint ? domains[hint.column] : undefined;

  const changeFilter = (next: MatrixFilter) => {
    setFilter(next);
    setPage(1);
    syncUrl(next);
  };
  const toggle = (names: string[], on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      for (const n of names) {
        if (on) next.add(n);
        else next.delete(n);
      }
      return next;
    });
  const sortBy = (key: SortKey) => setSort((s) => ({ key, direction: s.key === key && s.direction === "asc" ? "desc" : "asc" }));
  const ariaSort = (key: SortKey) => (sort.key === key ? (sort.direction === "asc" ? "ascending" : "descending") : undefined);
  const sortMark = (key: SortKey) => (sort.key === key ? (sort.direction === "asc" ? " ▲" : " ▼") : "");

  if (rows.length === 0) {
    return <p className="rounded-md border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">Pullkeeper could not see any namespace in this cluster.</p>;
  }

  return (
    <section aria-label="Coverage by namespace">
      <MatrixFilters filter={filter} domains={domains} selectorError={selectorError} pageSize={pageSize} onChange={changeFilter} onPageSize={(n) => (setPageSize(n), setPage(1))} />
      <div className="mb-2 flex flex-wrap items-center gap-3 text-sm" role="toolbar" aria-label="Selection">
        <p aria-live="polite">
          {filtered.length === rows.length ? `${rows.length} namespaces` : `${filtered.length} of ${rows.length} namespaces match`}
          {selected.size ? ` · ${selected.size} selected` : ""}
        </p>
        <button type="button" className="text-sky-800 underline disabled:text-slate-500 disabled:no-underline" disabled={filtered.length === 0 || allFilteredSelected} onClick={() => setSelected(new Set(filtered.map((r) => r.namespace)))}>
          Select all {filtered.length} filtered
        </button>
        <button type="button" className="text-sky-800 underline disabled:text-slate-500 disabled:no-underline" disabled={selected.size === 0} onClick={() => setSelected(new Set())}>
          Clear selection
        </button>
        {canPlan ? (
          <div className="ml-auto flex gap-2">
            {(["copy", "attach"] as const).map((verb) => {
              const link = bulkHref(cluster, verb, selectedList, { filter: deferredFilter, allFilteredSelected });
              const label = verb === "copy" ? "Copy pull secrets…" : "Attach…";
              return link.href ? (
                <Link key={verb} href={link.href} className="rounded bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700">
                  {label}
                </Link>
              ) : (
                <button key={verb} type="button" disabled title={link.reason ?? undefined} aria-describedby="bulk-reason" className="cursor-not-allowed rounded bg-slate-300 px-3 py-1.5 font-medium text-slate-700">
                  {label}
                </button>
              );
            })}
          </div>
        ) : (
          <p className="ml-auto text-xs text-slate-500">Your role can view coverage; copying and attaching need an operator.</p>
        )}
      </div>
      {canPlan && selected.size > 0 ? (
        <p id="bulk-reason" className="mb-2 text-xs text-slate-600">
          {bulkHref(cluster, "copy", selectedList, { filter: deferredFilter, allFilteredSelected }).reason ?? "The workflow page previews every change before anything is written."}
        </p>
      ) : null}
      <p className="mb-1 min-h-10 text-xs text-slate-700">
        {hintRow && hintDomain ? (
          <>
            <span className="font-medium">
              {hintRow.namespace} · {hintDomain.registry}: {STATE_DISPLAY[hintRow.states[hint!.column] ?? "missing"].label}.
            </span>{" "}
            {STATE_DISPLAY[hintRow.states[hint!.column] ?? "missing"].explain(hintDomain.registry)} Press Enter or click for the secrets behind it.
          </>
        ) : (
          "Point at or focus a cell to see why it has its state; open it for the secrets behind it."
        )}
      </p>
      <div className="overflow-x-auto rounded-md border border-slate-200 bg-white">
        <table aria-label="Coverage matrix" data-ready={ready ? "true" : "false"} aria-rowcount={filtered.length + 1} className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 bg-slate-50 text-xs text-slate-600">
            <tr>
              <th scope="col" className="w-8 px-2 py-2">
                <input type="checkbox" aria-label="Select every namespace on this page" checked={pageAllSelected} onChange={(e) => toggle(view.items.map((r) => r.namespace), e.target.checked)} />
              </th>
              <th scope="col" aria-sort={ariaSort("namespace")} className="px-2 py-2">
                <button type="button" onClick={() => sortBy("namespace")} className="font-semibold uppercase tracking-wide">
                  Namespace{sortMark("namespace")}
                </button>
              </th>
              {domains.map((d, i) => (
                <th key={d.registry} scope="col" aria-sort={ariaSort(i)} className="px-1 py-2">
                  <button type="button" onClick={() => sortBy(i)} title={d.successor ? `Discontinued; successor ${d.successor}` : (d.region ?? d.group)} className="text-left font-semibold">
                    {d.registry}
                    {sortMark(i)}
                    <span className="block font-normal text-slate-500">{d.group === "legacy-icr" ? "legacy" : d.group === "icr" ? (d.region ?? "icr.io") : d.group}</span>
                  </button>
                </th>
              ))}
              <th scope="col" aria-sort={ariaSort("findings")} className="px-2 py-2">
                <button type="button" onClick={() => sortBy("findings")} className="font-semibold uppercase tracking-wide">
                  Findings{sortMark("findings")}
                </button>
              </th>
            </tr>
          </thead>
          {/* Cell button styles live here once: a 100-row page has over a thousand cells. */}
          <tbody onMouseOver={showHint} onFocus={showHint} className="divide-y divide-slate-100 [&_.cell]:w-full [&_.cell]:whitespace-nowrap [&_.cell]:rounded-sm [&_.cell]:border-l-4 [&_.cell]:px-1.5 [&_.cell]:py-0.5 [&_.cell]:text-left [&_.cell]:text-xs [&_.cell]:text-slate-900">
            {view.items.map((row, index) => (
              <tr key={row.namespace} aria-rowindex={view.from + index + 1} className={selected.has(row.namespace) ? "bg-sky-50" : "hover:bg-slate-50"}>
                <td className="px-2 py-1">
                  <input type="checkbox" aria-label={`Select ${row.namespace}`} checked={selected.has(row.namespace)} onChange={(e) => toggle([row.namespace], e.target.checked)} />
                </td>
                <th scope="row" className="px-2 py-1 font-normal">
                  <Link href={`/clusters/${encodeURIComponent(cluster)}/namespaces/${encodeURIComponent(row.namespace)}`} className="font-medium text-sky-800 hover:underline">
                    {row.namespace}
                  </Link>
                  {row.labelText ? <span className="block max-w-[16rem] truncate text-xs text-slate-600" title={row.labelText}>{row.labelText}</span> : null}
                </th>
                {domains.map((d, i) => {
                  const state = row.states[i] ?? "missing";
                  const s = STATE_DISPLAY[state];
                  const v = VERIFICATION_DISPLAY[row.verification[i] ?? "unknown"];
                  return (
                    <td key={d.registry} className="px-1 py-1">
                      <button
                        type="button"
                        onClick={() => setDetail({ namespace: row.namespace, column: i })}
                        aria-label={`${row.namespace}, ${d.registry}: ${s.label}${v ? `, ${v.label}` : ""}`}
                        data-column={i}
                        data-namespace={row.namespace}
                        className={`cell ${s.className}`}
                      >
                        <span aria-hidden>{s.icon}</span> {s.short}
                        {v ? <span aria-hidden className="ml-1" title={v.label}>{v.icon}</span> : null}
                      </button>
                    </td>
                  );
                })}
                <td className="px-2 py-1">
                  <FindingBadges row={row} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {filtered.length === 0 ? (
          <p className="p-6 text-sm text-slate-600">
            No namespace matches these filters.{" "}
            <button type="button" className="text-sky-800 underline" onClick={() => changeFilter(EMPTY_FILTER)}>
              Clear filters
            </button>
          </p>
        ) : null}
      </div>
      <nav aria-label="Matrix pages" className="mt-3 flex items-center justify-between text-sm">
        <button type="button" className="rounded border border-slate-300 bg-white px-3 py-1 disabled:opacity-50" disabled={view.page <= 1} onClick={() => setPage(view.page - 1)}>
          Previous
        </button>
        <span>
          {view.from}–{view.to} of {filtered.length} · page {view.page} of {view.pageCount}
        </span>
        <button type="button" className="rounded border border-slate-300 bg-white px-3 py-1 disabled:opacity-50" disabled={view.page >= view.pageCount} onClick={() => setPage(view.page + 1)}>
          Next
        </button>
      </nav>
      {detail && detailRow && detailDomain ? <CellDetailPanel cluster={cluster} row={detailRow} domain={detailDomain} column={detail.column} onClose={() => setDetail(null)} /> : null}
    </section>
  );
}
