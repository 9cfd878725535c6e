"use client";

import { useMemo, useState } from "react";
import type { MatrixDomain } from "@/lib/api/matrix";
import type { MatrixPageResponse, MatrixQuery, MatrixRow, SortKey } from "@/lib/api/matrix-query";
import { CellDetailPanel } from "./cell-detail-panel";
import { MatrixFilters } from "./matrix-filters";
import { MatrixLegend } from "./matrix-legend";
import { decodeMatrix, EMPTY_FILTER } from "./matrix-model";
import { cellAt, MatrixTable } from "./matrix-table";
import { CellHint, MatrixPager, SelectionToolbar } from "./matrix-toolbar";
import { useMatrixSelection, useMatrixView } from "./use-matrix-view";

type CellRef = { namespace: string; column: number };
type Detail = { row: MatrixRow; domain: MatrixDomain; column: number };

function LoadError({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <p role="alert" className="mb-2 rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900">
      Could not load this view of the matrix: {message}{" "}
      <button type="button" className="underline" onClick={onRetry}>
        Try again
      </button>
    </p>
  );
}

function NoMatch({ onClear }: { onClear: () => void }) {
  return (
    <p className="p-6 text-sm text-slate-600">
      No namespace matches these filters.{" "}
      <button type="button" className="text-sky-800 underline" onClick={onClear}>
        Clear filters
      </button>
    </p>
  );
}

/**
 * The namespaces x registries matrix. The server filters, sorts and pages (lib/queries/matrix-query.ts): the page
 * arrives with the first page of the view its URL names, and every change of filter, sort or page asks
 * `GET /api/clusters/:cluster/matrix` for the page to show, keeping the view in the URL so it can be shared.
 * Selection spans pages (select-all asks the server for the matching names); bulk links go to the copy/attach
 * workflows; a details panel opens per cell.
 */
export function CoverageMatrix({ initial, initialQuery, canPlan }: { initial: MatrixPageResponse; initialQuery: MatrixQuery; canPlan: boolean }) {
  const { cluster, scannedAt } = initial;
  const view = useMatrixView(initial, initialQuery);
  const { query, data, commit } = view;
  const selection = useMatrixSelection(cluster, scannedAt, view.committed.filter);
  const rows = useMemo(() => decodeMatrix(data), [data]);
  const [detail, setDetail] = useState<Detail | null>(null);
  const [hint, setHint] = useState<CellRef | null>(null);

  const showHint = (e: React.SyntheticEvent) => {
    const cell = cellAt(e.target);
    if (cell && (hint?.namespace !== cell.namespace || hint.column !== cell.column)) setHint(cell);
  };
  const openCell = (namespace: string, column: number) => {
    const row = rows.find((r) => r.namespace === namespace);
    const domain = data.domains[column];
    if (row && domain) setDetail({ row, domain, column });
  };
  const sortBy = (key: SortKey) => commit({ ...query, sort: { key, direction: query.sort.key === key && query.sort.direction === "asc" ? "desc" : "asc" }, page: 1 });

  if (data.total === 0) {
    return <p className="rounded-md border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">Pullkeeper could not see any namespace in this cluster.</p>;
  }
  const from = rows.length ? (data.page - 1) * data.pageSize + 1 : 0;
  return (
    <section aria-label="Coverage by namespace">
      <MatrixFilters filter={query.filter} domains={data.domains} stateCounts={data.stateCounts} selectorError={data.selectorError} pageSize={query.pageSize} onChange={view.changeFilter} onPageSize={(pageSize) => commit({ ...query, pageSize, page: 1 })} />
      <SelectionToolbar
        cluster={cluster}
        canPlan={canPlan}
        total={data.total}
        filteredCount={data.filtered}
        selected={selection.selected}
        allFilteredSelected={selection.allFilteredSelected}
        selecting={selection.selecting}
        selectError={selection.selectError}
        filter={view.committed.filter}
        onSelectAll={() => {
          commit(query);
          void selection.selectAll(query.filter);
        }}
        onClear={selection.clear}
      />
      <MatrixLegend />
      <CellHint row={hint ? rows.find((r) => r.namespace === hint.namespace) : undefined} domain={hint ? data.domains[hint.column] : undefined} column={hint?.column ?? 0} />
      {view.result.isError ? <LoadError message={view.result.error.message} onRetry={() => void view.result.refetch()} /> : null}
      <div className="overflow-x-auto rounded-md border border-slate-200 bg-white">
        <MatrixTable
          cluster={cluster}
          domains={data.domains}
          items={rows}
          from={from}
          filteredCount={data.filtered}
          ready={view.ready}
          busy={view.hydrated && !view.ready}
          selected={selection.selected}
          sort={query.sort}
          onSort={sortBy}
          onToggle={selection.toggle}
          onOpenCell={openCell}
          onHint={showHint}
        />
        {data.filtered === 0 ? <NoMatch onClear={() => commit({ ...query, filter: EMPTY_FILTER, page: 1 })} /> : null}
      </div>
      <MatrixPager page={data.page} pageCount={data.pageCount} from={from} to={rows.length ? from + rows.length - 1 : 0} total={data.filtered} onPage={(page) => commit({ ...query, page })} />
      {detail ? <CellDetailPanel cluster={cluster} row={detail.row} domain={detail.domain} column={detail.column} onClose={() => setDetail(null)} /> : null}
    </section>
  );
}
