"use client";

import { useDeferredValue, useMemo, useState, useSyncExternalStore } from "react";
import type { MatrixPayload } from "@/lib/api/matrix";
import { CellDetailPanel } from "./cell-detail-panel";
import { MatrixFilters } from "./matrix-filters";
import { MatrixLegend } from "./matrix-legend";
import { decodeMatrix, EMPTY_FILTER, filterRows, pageOf, sortRows, type MatrixFilter, type MatrixSort, type SortKey } from "./matrix-model";
import { MatrixTable } from "./matrix-table";
import { CellHint, MatrixPager, SelectionToolbar } from "./matrix-toolbar";

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

function toggled(selected: ReadonlySet<string>, names: readonly string[], on: boolean): ReadonlySet<string> {
  const next = new Set(selected);
  for (const n of names) {
    if (on) next.add(n);
    else next.delete(n);
  }
  return next;
}

type CellRef = { namespace: string; column: number };

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
  const [detail, setDetail] = useState<CellRef | null>(null);
  // False in the server render, true once hydrated: the `data-ready` marker tests and measurements wait for.
  const ready = useSyncExternalStore(noSubscription, () => true, () => false);
  const [hint, setHint] = useState<CellRef | null>(null);
  const deferredFilter = useDeferredValue(filter);

  const { rows: filtered, selectorError } = useMemo(() => filterRows(rows, domains, deferredFilter), [rows, domains, deferredFilter]);
  const sorted = useMemo(() => sortRows(filtered, sort), [filtered, sort]);
  const view = pageOf(sorted, page, pageSize);
  const detailRow = detail ? rows.find((r) => r.namespace === detail.namespace) : undefined;
  const detailDomain = detail ? domains[detail.column] : undefined;

  const showHint = (e: React.SyntheticEvent) => {
    const cell = (e.target as HTMLElement).closest<HTMLElement>("button.cell");
    if (!cell) return;
    const column = Number(cell.dataset.column);
    const namespace = cell.dataset.namespace ?? "";
    if (hint?.namespace !== namespace || hint.column !== column) setHint({ namespace, column });
  };

  const changeFilter = (next: MatrixFilter) => {
    setFilter(next);
    setPage(1);
    syncUrl(next);
  };
  const toggle = (names: string[], on: boolean) => setSelected((prev) => toggled(prev, names, on));
  const sortBy = (key: SortKey) => setSort((s) => ({ key, direction: s.key === key && s.direction === "asc" ? "desc" : "asc" }));

  if (rows.length === 0) {
    return <p className="rounded-md border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">Pullkeeper could not see any namespace in this cluster.</p>;
  }

  return (
    <section aria-label="Coverage by namespace">
      <MatrixFilters filter={filter} domains={domains} selectorError={selectorError} pageSize={pageSize} onChange={changeFilter} onPageSize={(n) => (setPageSize(n), setPage(1))} />
      <SelectionToolbar cluster={cluster} canPlan={canPlan} total={rows.length} filtered={filtered} selected={selected} filter={deferredFilter} onSelect={(names) => setSelected(new Set(names))} />
      <MatrixLegend />
      <CellHint row={hint ? rows.find((r) => r.namespace === hint.namespace) : undefined} domain={hint ? domains[hint.column] : undefined} column={hint?.column ?? 0} />
      <div className="overflow-x-auto rounded-md border border-slate-200 bg-white">
        <MatrixTable
          cluster={cluster}
          domains={domains}
          items={view.items}
          from={view.from}
          filteredCount={filtered.length}
          ready={ready}
          selected={selected}
          sort={sort}
          onSort={sortBy}
          onToggle={toggle}
          onOpenCell={(namespace, column) => setDetail({ namespace, column })}
          onHint={showHint}
        />
        {filtered.length === 0 ? (
          <p className="p-6 text-sm text-slate-600">
            No namespace matches these filters.{" "}
            <button type="button" className="text-sky-800 underline" onClick={() => changeFilter(EMPTY_FILTER)}>
              Clear filters
            </button>
          </p>
        ) : null}
      </div>
      <MatrixPager page={view.page} pageCount={view.pageCount} from={view.from} to={view.to} total={filtered.length} onPage={setPage} />
      {detail && detailRow && detailDomain ? <CellDetailPanel cluster={cluster} row={detailRow} domain={detailDomain} column={detail.column} onClose={() => setDetail(null)} /> : null}
    </section>
  );
}
