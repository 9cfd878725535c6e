import Link from "next/link";
import type { ClusterCoverageSummary } from "@/lib/coverage/types";
import { GROUP_LABELS } from "@/lib/api/fleet";
import { CoverageBar } from "./coverage-bar";

function Stat({ label, value, tone }: { label: string; value: number; tone?: "bad" }) {
  return (
    <div className="rounded-md border border-slate-200 bg-white px-3 py-2">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className={`text-lg font-semibold tabular-nums ${tone === "bad" && value > 0 ? "text-red-800" : ""}`}>{value.toLocaleString("en-US")}</dd>
    </div>
  );
}

/** Headline numbers and per-registry-group coverage for one cluster, with the migration call to action. */
export function ClusterSummary({ cluster, summary, canPlan }: { cluster: string; summary: ClusterCoverageSummary; canPlan: boolean }) {
  return (
    <section aria-label="Summary" className="mb-4 space-y-3">
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4 lg:grid-cols-8">
        <Stat label="Namespaces" value={summary.namespaceCount} />
        <Stat label="Pull secrets" value={summary.pullSecretCount} />
        <Stat label="Legacy token secrets" value={summary.legacySecretCount} tone="bad" />
        <Stat label="Unreadable secrets" value={summary.unparsableSecretCount} tone="bad" />
        <Stat label="Needed registries missing" value={summary.neededMissing} tone="bad" />
        <Stat label="Rejected credentials" value={summary.rejected} tone="bad" />
        <Stat label="Workloads at risk" value={summary.workloadsAtRisk} tone="bad" />
        <Stat label="Stale or orphaned copies" value={summary.staleCopies + summary.orphanedCopies} tone="bad" />
      </dl>
      <div className="flex flex-wrap gap-6 rounded-md border border-slate-200 bg-white p-3">
        {summary.groups.filter((g) => g.group !== "legacy-icr").map((g) => (
          <CoverageBar key={g.group} label={GROUP_LABELS[g.group]} full={g.fullyCovered} partial={g.partiallyCovered} uncovered={g.uncovered} />
        ))}
      </div>
      {summary.legacySecretCount > 0 ? (
        <div role="status" className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
          <p>
            {summary.legacySecretCount} secret{summary.legacySecretCount === 1 ? " holds" : "s hold"} discontinued registry tokens or registry.*.bluemix.net entries. Those stopped working on 19 Aug 2021.
          </p>
          {canPlan ? (
            // Not prefetched: each view of the cluster page would have the server render the migration form over the whole inventory.
            <Link href={`/clusters/${encodeURIComponent(cluster)}/workflows/migrate`} prefetch={false} className="rounded bg-amber-700 px-3 py-1.5 font-medium text-white hover:bg-amber-800">
              Migrate to API keys
            </Link>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
