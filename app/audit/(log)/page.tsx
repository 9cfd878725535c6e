import type { Metadata } from "next";
import Link from "next/link";
import { AuditFilters } from "@/components/audit/audit-filters";
import { OperationsTable } from "@/components/audit/operations-table";
import { PageHeader } from "@/components/shell/page-header";
import { auditStore } from "@/lib/audit";
import { filterQueryString, parseAuditFilter } from "@/lib/audit/filter-params";
import { scopeFilterTo } from "@/lib/audit/visibility";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser("audit.read");
  const raw = await searchParams;
  const parsed = parseAuditFilter(raw);
  const params = parsed.ok ? parsed.params : {};
  const store = await auditStore();
  const page = parsed.ok ? await store.listOperations(scopeFilterTo(user, parsed.filter), { limit: PAGE_SIZE, cursor: parsed.cursor }) : null;
  const query = parsed.ok ? filterQueryString(parsed.params) : "";
  const exportHref = (format: "csv" | "json") => `/api/audit/export${query ? `${query}&` : "?"}format=${format}`;

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every preview, workflow run, step and denied attempt, newest first. Inputs are shown with credentials removed."
        actions={
          <>
            <a href={exportHref("csv")} className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50">
              Export CSV
            </a>
            <a href={exportHref("json")} className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50">
              Export JSON
            </a>
          </>
        }
      />
      <AuditFilters params={params} errors={parsed.ok ? {} : parsed.errors} />
      {page ? (
        <>
          <OperationsTable operations={page.items} />
          <nav aria-label="Pages" className="mt-3 flex justify-between text-sm">
            {parsed.ok && parsed.cursor ? (
              <Link href={`/audit${query}`} className="text-sky-800 underline">
                Newest
              </Link>
            ) : (
              <span />
            )}
            {page.nextCursor && parsed.ok ? (
              <Link href={`/audit${filterQueryString(parsed.params, { cursor: page.nextCursor })}`} className="text-sky-800 underline">
                Older operations
              </Link>
            ) : null}
          </nav>
        </>
      ) : (
        <p className="text-sm text-red-700">Fix the highlighted filters to see operations.</p>
      )}
    </>
  );
}
