import Link from "next/link";
import type { FleetSummary } from "@/lib/fleet-view/model";

/** What needs someone now, across the fleet: each figure links to the table filtered to the clusters it counts. */
export function FleetSummaryView({ summary, filtered = false }: { summary: FleetSummary; filtered?: boolean }) {
  const waiting = summary.clusters - summary.answered;
  return (
    <section aria-labelledby="fleet-summary" className="mb-3 rounded-md border border-slate-200 bg-white px-4 py-3 text-sm">
      <h2 id="fleet-summary" className="sr-only">
        Fleet summary
      </h2>
      <ul className="flex flex-wrap gap-x-6 gap-y-1">
        {summary.items.map((item) => (
          <li key={item.id}>
            <Link
              href={item.href}
              scroll={false}
              className={`hover:underline ${item.tone === "attention" && item.total > 0 ? "font-medium text-red-800" : "text-slate-800"}`}
            >
              {item.text}
            </Link>
          </li>
        ))}
      </ul>
      <p className="mt-1 text-xs text-slate-600" role="status">
        {summary.clusters === 0
          ? "No cluster matches the filters: nothing is counted."
          : waiting > 0
          ? `Counted over ${summary.answered} of ${summary.clusters} clusters; ${waiting} not answered yet.`
          : filtered
            ? `Counted over the ${summary.clusters} cluster${summary.clusters === 1 ? "" : "s"} the name and label filters keep.`
            : `Counted over all ${summary.clusters} cluster${summary.clusters === 1 ? "" : "s"}.`}
      </p>
    </section>
  );
}
