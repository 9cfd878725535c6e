import Link from "next/link";
import { OPERATION_KINDS, OPERATION_STATUSES } from "@/lib/audit/port";
import type { AuditFilterParams } from "@/lib/audit/filter-params";
import { statusLabel } from "./status-badge";

function dateValue(date: Date | undefined): string {
  return date ? date.toISOString().slice(0, 16) : "";
}

/** A plain GET form: filters live in the URL, so they can be bookmarked, shared and exported. */
export function AuditFilters({ params, errors }: { params: Partial<AuditFilterParams>; errors: Record<string, string> }) {
  const field = "mt-1 block w-full rounded border border-slate-300 bg-white px-2 py-1 text-sm";
  const label = "block text-xs font-medium text-slate-600";
  const error = (name: string) =>
    errors[name] ? (
      <p id={`${name}-error`} className="mt-1 text-xs text-red-700">
        {errors[name]}
      </p>
    ) : null;
  return (
    <form method="get" action="/audit" role="search" aria-label="Filter operations" className="mb-4 grid grid-cols-2 gap-3 rounded-md border border-slate-200 bg-white p-3 md:grid-cols-4 lg:grid-cols-8">
      <label className={`${label} col-span-2`}>
        Search
        <input name="q" defaultValue={params.q ?? ""} placeholder="id, actor, namespace, summary…" className={field} />
      </label>
      <label className={label}>
        Cluster
        <input name="cluster" defaultValue={params.cluster ?? ""} className={field} />
      </label>
      <label className={label}>
        Namespace
        <input name="namespace" defaultValue={params.namespace ?? ""} className={field} />
      </label>
      <label className={label}>
        Kind
        <select name="kind" defaultValue={params.kind ?? ""} className={field}>
          <option value="">Any</option>
          {OPERATION_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {kind.replaceAll("_", " ")}
            </option>
          ))}
        </select>
      </label>
      <label className={label}>
        Status
        <select name="status" defaultValue={params.status ?? ""} className={field} aria-describedby={errors.status ? "status-error" : undefined}>
          <option value="">Any</option>
          {OPERATION_STATUSES.map((status) => (
            <option key={status} value={status}>
              {statusLabel(status)}
            </option>
          ))}
        </select>
        {error("status")}
      </label>
      <label className={label}>
        Actor
        <input name="actor" defaultValue={params.actor ?? ""} className={field} />
      </label>
      <div className="col-span-2 grid grid-cols-2 gap-2 md:col-span-1 lg:col-span-1">
        <button type="submit" className="mt-5 rounded bg-slate-900 px-3 py-1 text-sm font-medium text-white hover:bg-slate-700">
          Filter
        </button>
        <Link href="/audit" className="mt-5 rounded border border-slate-300 px-3 py-1 text-center text-sm text-slate-700 hover:bg-slate-50">
          Reset
        </Link>
      </div>
      <label className={`${label} col-span-2`}>
        From
        <input type="datetime-local" name="from" defaultValue={dateValue(params.from)} className={field} aria-describedby={errors.from ? "from-error" : undefined} />
        {error("from")}
      </label>
      <label className={`${label} col-span-2`}>
        To
        <input type="datetime-local" name="to" defaultValue={dateValue(params.to)} className={field} aria-describedby={errors.to ? "to-error" : undefined} />
        {error("to")}
      </label>
    </form>
  );
}
