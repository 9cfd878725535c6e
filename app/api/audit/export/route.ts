import { auditStore } from "@/lib/audit";
import { exportBody } from "@/lib/audit/export-stream";
import { parseAuditFilter } from "@/lib/audit/filter-params";
import { scopeFilterTo } from "@/lib/audit/visibility";
import { recordAuditExport } from "@/lib/auth/access-audit";
import { withUser } from "@/lib/auth/route";

export const dynamic = "force-dynamic";

/** Streams the filtered audit log as CSV or JSON without holding it in memory: a page of rows per chunk, read as the client reads. */
export const GET = withUser("audit.export", async (request, { user }) => {
  const url = new URL(request.url);
  const format = url.searchParams.get("format") === "json" ? "json" : "csv";
  const parsed = parseAuditFilter(url.searchParams);
  if (!parsed.ok) return Response.json({ error: "Invalid filters", fieldErrors: parsed.errors }, { status: 400 });
  const store = await auditStore();
  // Recorded before the first byte: an export that cannot be recorded does not start.
  await recordAuditExport(user, { format, filter: { ...parsed.filter } });
  const body = exportBody(store.exportOperations(scopeFilterTo(user, parsed.filter), format));
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
  return new Response(body, {
    headers: {
      "Content-Type": format === "json" ? "application/json; charset=utf-8" : "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="pullkeeper-audit-${stamp}.${format}"`,
      "Cache-Control": "no-store",
    },
  });
});
