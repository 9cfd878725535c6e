"use client";

import Link from "next/link";
import type { MatrixDomain } from "@/lib/api/matrix";
import { bulkHref, type MatrixFilter, type MatrixRow } from "./matrix-model";
import { STATE_DISPLAY } from "./states";

export interface SelectionToolbarProps {
  cluster: string;
  canPlan: boolean;
  total: number;
  /** Namespaces matching the filter (on every page). */
  filteredCount: number;
  selected: ReadonlySet<string>;
  /** The selection is exactly the namespaces the filter matches (select-all for this filter, untouched since). */
  allFilteredSelected: boolean;
  /** Select-all is asking the server for the matching names. */
  selecting: boolean;
  selectError: string | null;
  /** The filter the table shows, which the bulk links describe. */
  filter: MatrixFilter;
  onSelectAll: () => void;
  onClear: () => void;
}

/** Counts, select-all / clear, and the bulk copy and attach links (or why they are unavailable). */
export function SelectionToolbar({ cluster, canPlan, total, filteredCount, selected, allFilteredSelected, selecting, selectError, filter, onSelectAll, onClear }: SelectionToolbarProps) {
  const selectedList = [...selected];
  const bulk = (verb: "copy" | "attach") => bulkHref(cluster, verb, selectedList, { filter, allFilteredSelected });
  return (
    <>
      <div className="mb-2 flex flex-wrap items-center gap-3 text-sm" role="toolbar" aria-label="Selection">
        <p aria-live="polite">
          {filteredCount === total ? `${total} namespaces` : `${filteredCount} of ${total} namespaces match`}
          {selected.size ? ` · ${selected.size} selected` : ""}
        </p>
        <button type="button" className="text-sky-800 underline disabled:text-slate-500 disabled:no-underline" disabled={filteredCount === 0 || allFilteredSelected || selecting} onClick={onSelectAll}>
          Select all {filteredCount} filtered
        </button>
        <button type="button" className="text-sky-800 underline disabled:text-slate-500 disabled:no-underline" disabled={selected.size === 0} onClick={onClear}>
          Clear selection
        </button>
        {selectError ? (
          <p role="alert" className="text-red-800">
            Could not select them: {selectError}
          </p>
        ) : null}
        {canPlan ? (
          <div className="ml-auto flex gap-2">
            {(["copy", "attach"] as const).map((verb) => {
              const link = bulk(verb);
              const label = verb === "copy" ? "Copy pull secrets…" : "Attach…";
              return link.href ? (
                <Link key={verb} href={link.href} prefetch={false} className="rounded bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700">
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
          {bulk("copy").reason ?? "The workflow page previews every change before anything is written."}
        </p>
      ) : null}
    </>
  );
}

/** One explanation line for whichever cell is hovered or focused, instead of a tooltip per cell. */
export function CellHint({ row, domain, column }: { row?: MatrixRow; domain?: MatrixDomain; column: number }) {
  const state = row ? STATE_DISPLAY[row.states[column] ?? "missing"] : undefined;
  return (
    <p className="mb-1 min-h-10 text-xs text-slate-700">
      {row && domain && state ? (
        <>
          <span className="font-medium">
            {row.namespace} · {domain.registry}: {state.label}.
          </span>{" "}
          {state.explain(domain.registry)} Press Enter or click for the secrets behind it.
        </>
      ) : (
        "Point at or focus a cell to see why it has its state; open it for the secrets behind it."
      )}
    </p>
  );
}

export function MatrixPager({ page, pageCount, from, to, total, onPage }: { page: number; pageCount: number; from: number; to: number; total: number; onPage: (page: number) => void }) {
  return (
    <nav aria-label="Matrix pages" className="mt-3 flex items-center justify-between text-sm">
      <button type="button" className="rounded border border-slate-300 bg-white px-3 py-1 disabled:opacity-50" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span>
        {from}–{to} of {total} · page {page} of {pageCount}
      </span>
      <button type="button" className="rounded border border-slate-300 bg-white px-3 py-1 disabled:opacity-50" disabled={page >= pageCount} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}
