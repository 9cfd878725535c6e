"use client";

import { useState } from "react";
import type { FleetMeasure } from "@/lib/fleet-view/measures";
import { fleetHref, type FleetQuery, type FleetSort } from "@/lib/fleet-view/model";

/**
 * State, name, cluster labels (a Kubernetes label selector) and order of the table, kept in the URL so a summary link, a bookmark or a shared link shows the same
 * view. Changes replace the history entry in place (Next keeps useSearchParams in step) without asking the server.
 */
export function FleetFilters({ query, measures, shown, total, labelError }: { query: FleetQuery; measures: readonly FleetMeasure[]; shown: number; total: number; labelError: string | null }) {
  const apply = (change: Partial<FleetQuery>) => window.history.replaceState(null, "", fleetHref({ ...query, ...change }));
  // The box keeps what is typed (spaces included); a name changed from outside (a link, "Show all") replaces it.
  const [name, setName] = useState(query.name);
  const [urlName, setUrlName] = useState(query.name);
  if (query.name !== urlName) {
    setUrlName(query.name);
    if (name.trim() !== query.name) setName(query.name);
  }
  const [labels, setLabels] = useState(query.labels);
  const [urlLabels, setUrlLabels] = useState(query.labels);
  if (query.labels !== urlLabels) {
    setUrlLabels(query.labels);
    if (labels.trim() !== query.labels) setLabels(query.labels);
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
        <span className="text-xs font-medium text-slate-600">Cluster labels</span>
        <input type="search" className={`${field} font-mono ${labelError ? "border-red-600" : ""}`} value={labels}
          placeholder="env=prod,region in (eu-de)"
          aria-invalid={labelError ? true : undefined}
          aria-describedby={labelError ? "fleet-labels-error" : undefined}
          onChange={(e) => {
            setLabels(e.target.value);
            apply({ labels: e.target.value.trim() });
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
        {query.state || query.name || query.labels ? (
          <>
            {" · "}
            <button type="button" onClick={() => apply({ state: null, name: "", labels: "" })} className="text-sky-800 underline">
              Show all
            </button>
          </>
        ) : null}
      </p>
      {labelError ? (
        <p id="fleet-labels-error" role="alert" className="basis-full text-xs text-red-700">
          The label filter is not applied: {labelError}
        </p>
      ) : null}
    </form>
  );
}
