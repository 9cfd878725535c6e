"use client";

import type { MatrixDomain } from "@/lib/api/matrix";
import type { MatrixFilter, StateCounts, StateFilter } from "@/lib/api/matrix-query";
import { STATE_DISPLAY } from "./states";

const input = "rounded border border-slate-300 bg-white px-2 py-1 text-sm";

/** A labelled control stacked under its small caption. */
function Field({ id, label, className = "", children }: { id: string; label: string; className?: string; children: React.ReactNode }) {
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={id} className="text-xs font-medium text-slate-600">
        {label}
      </label>
      {children}
    </div>
  );
}

/** The matrix's filter bar; every control is labelled and filters as you type (the server answers once typing pauses). */
export function MatrixFilters({
  filter,
  domains,
  stateCounts,
  selectorError,
  pageSize,
  onChange,
  onPageSize,
}: {
  filter: MatrixFilter;
  domains: readonly MatrixDomain[];
  /** Namespaces each state would show, with the other filters as they are (from the server). */
  stateCounts: StateCounts;
  selectorError: string | null;
  pageSize: number;
  onChange: (next: MatrixFilter) => void;
  onPageSize: (size: number) => void;
}) {
  const set = <K extends keyof MatrixFilter>(key: K, value: MatrixFilter[K]) => onChange({ ...filter, [key]: value });
  return (
    <form role="search" aria-label="Filter namespaces" className="mb-3 flex flex-wrap items-end gap-3 text-sm" onSubmit={(e) => e.preventDefault()}>
      <Field id="matrix-text" label="Search">
        <input id="matrix-text" type="search" value={filter.text} onChange={(e) => set("text", e.target.value)} placeholder="namespace or label" className={`${input} w-48`} />
      </Field>
      <Field id="matrix-state" label="State">
        <select id="matrix-state" value={filter.state} onChange={(e) => set("state", e.target.value as StateFilter)} className={input}>
          <option value="any">Any state ({stateCounts.any})</option>
          <option value="not_covered">Not covered ({stateCounts.not_covered})</option>
          {(Object.keys(STATE_DISPLAY) as (keyof typeof STATE_DISPLAY)[]).map((s) => (
            <option key={s} value={s}>
              {STATE_DISPLAY[s].label} ({stateCounts[s]})
            </option>
          ))}
        </select>
      </Field>
      <Field id="matrix-domain" label="in registry">
        <select id="matrix-domain" value={filter.domain} onChange={(e) => set("domain", e.target.value)} className={input}>
          <option value="any">any registry</option>
          {domains.map((d) => (
            <option key={d.registry} value={d.registry}>
              {d.registry}
            </option>
          ))}
        </select>
      </Field>
      <Field id="matrix-selector" label="Label selector">
        <input
          id="matrix-selector"
          value={filter.selector}
          onChange={(e) => set("selector", e.target.value)}
          placeholder="env=prod,team in (web,data)"
          aria-invalid={selectorError ? true : undefined}
          aria-describedby={selectorError ? "matrix-selector-error" : undefined}
          className={`${input} w-60 font-mono aria-[invalid=true]:border-red-600`}
        />
      </Field>
      <label className="flex items-center gap-2 pb-1">
        <input type="checkbox" checked={filter.findingsOnly} onChange={(e) => set("findingsOnly", e.target.checked)} />
        With findings only
      </label>
      <Field id="matrix-page-size" label="Rows per page" className="ml-auto">
        <select id="matrix-page-size" value={pageSize} onChange={(e) => onPageSize(Number(e.target.value))} className={input}>
          {[50, 100, 250].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </Field>
      {selectorError ? (
        <p id="matrix-selector-error" role="alert" className="w-full text-xs text-red-700">
          Label selector: {selectorError}. It is ignored until fixed.
        </p>
      ) : null}
    </form>
  );
}
