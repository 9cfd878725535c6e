import Link from "next/link";
import { DataTable, type DataTableColumn } from "@/components/shell/data-table";
import { RelativeTime } from "@/components/shell/relative-time";
import type { StoredClusterRecord } from "@/lib/clusters/types";
import { ClusterAccessButtons } from "./cluster-access-buttons";

export interface LiveCheck {
  status: "reachable" | "unauthorized" | "forbidden" | "unreachable" | "tls_error";
  message: string;
  identity: string | null;
  advice: string | null;
}

const STATUS_LABEL: Record<LiveCheck["status"], string> = {
  reachable: "Reachable",
  unauthorized: "Token refused",
  forbidden: "No access yet",
  unreachable: "Unreachable",
  tls_error: "TLS error",
};

const ADDED_COLUMNS: DataTableColumn[] = [{ label: "Cluster" }, { label: "Connection" }, { label: "IAM token" }, { label: "Actions", srOnly: true }];

/** The account's added clusters: whether each answers now (asked while the page rendered), its credential's renewal, and why not and what to grant. */
export function AddedClusters({ accountId, clusters, checks }: { accountId: string; clusters: StoredClusterRecord[]; checks: Map<string, LiveCheck> }) {
  return (
    <DataTable caption="Clusters added from this account" columns={ADDED_COLUMNS} empty="No cluster of this account is added yet. Choose some below, or add a join rule.">
      {clusters.map((c) => {
        const check = checks.get(c.name);
        return (
          <tr key={c.name} className="border-t border-slate-100 align-top" data-cluster={c.name}>
            <th scope="row" className="px-3 py-2 text-left font-normal">
              <Link href={`/clusters/${encodeURIComponent(c.name)}`} className="font-medium text-sky-800 underline">
                {c.name}
              </Link>
              <div className="text-xs text-slate-500">
                {c.iksRegion} · {c.endpoint} endpoint · {c.joinedBy === "admin" ? `added by ${c.createdBy}` : "joined by a rule"}
              </div>
            </th>
            <td className="px-3 py-2">
              {check ? (
                <>
                  <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${check.status === "reachable" ? "bg-emerald-100 text-emerald-900" : "bg-red-100 text-red-900"}`}>{STATUS_LABEL[check.status]}</span>
                  {check.status === "reachable" ? (
                    <div className="text-xs text-slate-600">as {check.identity ?? "the account's key"}</div>
                  ) : (
                    <div className="max-w-md text-xs text-red-900">
                      {check.message}
                      {check.advice ? <div className="mt-1">What to grant: {check.advice}</div> : null}
                    </div>
                  )}
                </>
              ) : (
                <span className="text-xs text-slate-500">Not checked</span>
              )}
              {c.lastError ? <div className="max-w-md text-xs text-amber-900">{c.lastError}</div> : null}
            </td>
            <td className="px-3 py-2 text-xs">
              <div>
                Last refreshed <span data-testid="last-refresh">{c.lastRefreshAt ? <RelativeTime iso={c.lastRefreshAt} /> : "not yet"}</span>
              </div>
              <div>Expires {c.credentialExpiresAt ? <RelativeTimeAhead iso={c.credentialExpiresAt} /> : "—"}</div>
            </td>
            <td className="px-3 py-2">
              <ClusterAccessButtons accountId={accountId} name={c.name} />
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}

function RelativeTimeAhead({ iso }: { iso: string }) {
  const seconds = Math.round((new Date(iso).getTime() - renderTime()) / 1000);
  const text = seconds <= 0 ? "now (renewal due)" : seconds < 120 ? `in ${seconds}s` : `in ${Math.round(seconds / 60)} min`;
  return (
    <time dateTime={iso} title={iso.replace("T", " ").slice(0, 19) + " UTC"}>
      {text}
    </time>
  );
}

/** Server components render once per request: the page's "now". */
function renderTime(): number {
  return Date.now();
}
