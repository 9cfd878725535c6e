import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ApiKeysLeftBehind } from "@/components/audit/api-keys-left-behind";
import { StatusBadge } from "@/components/audit/status-badge";
import { StepsTable } from "@/components/audit/steps-table";
import { PageHeader } from "@/components/shell/page-header";
import { RelativeTime } from "@/components/shell/relative-time";
import { auditStore } from "@/lib/audit";
import type { OperationRecord } from "@/lib/audit/port";
import { mayView } from "@/lib/audit/visibility";
import { can } from "@/lib/auth";
import { isWorkflowKind } from "@/lib/workflows";
import { apiKeysLeftBehind } from "@/lib/workflows/shared/api-key-ledger";
import { rotationUndoRefusal } from "@/lib/workflows/shared/undo-rotation";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Operation" };
export const dynamic = "force-dynamic";

export default async function OperationPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser("audit.read");
  const { id } = await params;
  const store = await auditStore();
  const operation = /^[0-9a-f-]{36}$/.test(id) ? await store.getOperation(id) : null;
  if (!operation || !mayView(user, operation)) notFound();

  const scope = operation.cluster ? { cluster: operation.cluster } : undefined;
  const applied = ["succeeded", "failed", "partially_failed", "interrupted"].includes(operation.status);
  const mayPlan = can(user, "workflow.plan", scope) && isWorkflowKind(operation.kind);
  const canRerun = mayPlan && ["failed", "partially_failed", "interrupted"].includes(operation.status) && operation.kind !== "undo";
  // A rotation is undone while it waits to delete the old key (it is still running then), and never after.
  const rotationRefusal = operation.kind === "rotate_api_key" ? rotationUndoRefusal(operation) : null;
  // A running operation's counts are only filled when it closes: a waiting rotation's own steps say what it did.
  const canUndo =
    mayPlan && operation.kind !== "undo" && (operation.kind === "rotate_api_key" ? rotationRefusal === null && user.clusters === null : applied && operation.counts.succeeded > 0);

  return (
    <>
      <PageHeader
        title={operation.kind.replaceAll("_", " ")}
        description={operation.summary ?? undefined}
        actions={<OperationActions operationId={operation.id} canRerun={canRerun} canUndo={canUndo} />}
      />
      <p className="-mt-4 mb-4 font-mono text-xs text-slate-500">{operation.id}</p>
      <div className="grid gap-6 lg:grid-cols-3">
        <section aria-labelledby="facts" className="rounded-md border border-slate-200 bg-white p-4">
          <h2 id="facts" className="mb-2 text-sm font-semibold">Summary</h2>
          <dl className="grid grid-cols-3 gap-y-1.5 text-sm">
            {operationFacts(operation).map(([term, value]) => (
              <div key={term} className="contents">
                <dt className="text-slate-500">{term}</dt>
                <dd className="col-span-2">{value}</dd>
              </div>
            ))}
          </dl>
        </section>
        <section aria-labelledby="inputs" className="rounded-md border border-slate-200 bg-white p-4 lg:col-span-2">
          <h2 id="inputs" className="mb-2 text-sm font-semibold">Inputs (credentials removed)</h2>
          <pre className="max-h-72 overflow-auto rounded bg-slate-50 p-3 font-mono text-xs">
            {JSON.stringify(operation.parameters, null, 2)}
          </pre>
        </section>
      </div>
      <section aria-labelledby="steps" className="mt-6">
        <h2 id="steps" className="mb-2 text-sm font-semibold">Steps</h2>
        <ApiKeysLeftBehind keys={apiKeysLeftBehind(operation)} />
        <StepsTable steps={operation.steps} />
      </section>
    </>
  );
}

/** The summary's term/value pairs, in the order the page lists them. */
function operationFacts(operation: OperationRecord): Array<[string, React.ReactNode]> {
  const facts: Array<[string, React.ReactNode]> = [
    ["Status", <StatusBadge key="s" status={operation.status} />],
    ["Actor", `${operation.actor}${operation.actorRole ? ` (${operation.actorRole})` : ""}`],
    ["Cluster", operation.cluster ?? "—"],
    ["Namespaces", operation.namespaces.join(", ") || "—"],
    ["Started", <RelativeTime key="t" iso={operation.startedAt} />],
    ["Finished", <RelativeTime key="f" iso={operation.finishedAt} />],
    ["Steps", `${operation.counts.total} total · ${operation.counts.succeeded} succeeded · ${operation.counts.failed} failed · ${operation.counts.skipped} skipped`],
  ];
  if (operation.relatedOperationId) {
    facts.push([
      "Related",
      <Link key="r" className="text-sky-800 underline" href={`/audit/${operation.relatedOperationId}`}>
        {operation.relatedOperationId}
      </Link>,
    ]);
  }
  return facts;
}

function OperationActions({ operationId, canRerun, canUndo }: { operationId: string; canRerun: boolean; canUndo: boolean }) {
  return (
    <>
      {canRerun ? (
        <Link href={`/audit/${operationId}/rerun`} className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50">
          Re-run to finish
        </Link>
      ) : null}
      {canUndo ? (
        <Link href={`/audit/${operationId}/undo`} className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50">
          Undo…
        </Link>
      ) : null}
      <a href={`/api/audit/export?format=json&q=${operationId}`} className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50">
        Export JSON
      </a>
    </>
  );
}
