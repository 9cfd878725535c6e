"use client";

import { useState } from "react";
import type { FleetMeasure } from "@/lib/fleet-view/measures";
import { fleetHref, type FleetQuery, type FleetSort } from "@/lib/fleet-view/model";

/**
 * State, name and order of the table, kept in the URL so a summary link, a bookmark or a shared link shows the same
 * view. Changes replace the history entry in place (Next keeps useSearchParams in step) without asking the server.
 */
export function FleetFilters({ query, measures, shown, total }: { query: FleetQuery; measures: readonly FleetMeasure[]; shown: number; total: number }) {
  const apply = (change: Partial<FleetQuery>) => window.history.replaceState(null, "", fleetHref({ ...query, ...change }));
  // The box keeps what is typed (spaces included); a name changed from outside (a link, "Show all") replaces it.
  const [name, setName] = useState(query.name);
  const [urlName, setUrlName] = useState(query.name);
  if (query.name !== urlName) {
    setUrlName(query.name);
    if (name.trim() !== query.name) setName(query.name);
  }
  const field = "rounded border border-slate-300 bg-white px-2 py-1 text-sm";
  return (
    <form role="search" aria-label="Filter clusters" className="mb-2 flex flex-wrap items-end gap-3 text-sm" onSubmit={(e) => e.preventDefault()}>
      <label className="flex flex-col gap-0.5">
        <span className="text-xs font-medium text-slate-600">State</span>
        <select className={field} value={query.state ?? ""} onChange={(e) => apply({ state: e.target.value || null })}>
          <option value="">All clusters</option>
          {measures.map((m) => (
            <option key={m.id} value={m.id}>
              {m.filterLabel}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-0.5">
        <span className="text-xs font-medium text-slate-600">Cluster name</span>
        <input type="search" className={field} value={name}
          placeholder="part of a name"
          onChange={(e) => {
            setName(e.target.value);
            apply({ name: e.target.value.trim() });
          }}
        />
      </label>
      <label className="flex flex-col gap-0.5">
        <span className="text-xs font-medium text-slate-600">Order</span>
        <select className={field} value={query.sort} onChange={(e) => apply({ sort: e.target.value as FleetSort })}>
          <option value="need">By need</option>
          <option value="name">By name</option>
        </select>
      </label>
      <p className="pb-1 text-xs text-slate-600" aria-live="polite">
        {shown === total ? `${total} clusters` : `${shown} of ${total} clusters`}
        {query.state || query.name ? (
          <>
            {" · "}
            <button type="button" onClick={() => apply({ state: null, name: "" })} className="text-sky-800 underline">
              Show all
            </button>
          </>
        ) : null}
      </p>
    </form>
  );
}
