import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/shell/page-header";
import { Notice } from "@/components/shell/notice";
import { RecordedWorkflow } from "@/components/workflows/recorded-workflow";
import { auditStore } from "@/lib/audit";
import { mayView } from "@/lib/audit/visibility";
import { can, requireUser } from "@/lib/auth";
import { isWorkflowKind } from "@/lib/workflows";

export const metadata: Metadata = { title: "Re-run operation" };
export const dynamic = "force-dynamic";

/** Re-runs a recorded workflow with its recorded inputs: the preview shows only what is left to do. */
export default async function RerunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser("workflow.plan");
  const operation = /^[0-9a-f-]{36}$/.test(id) ? await (await auditStore()).getOperation(id) : null;
  if (!operation || !mayView(user, operation) || !isWorkflowKind(operation.kind) || operation.kind === "undo") notFound();
  const scope = operation.cluster ? { cluster: operation.cluster } : undefined;
  const { planDigest: _digest, ...input } = operation.parameters;
  const title = `Re-run ${operation.kind.replaceAll("_", " ")}`;
  if (operation.kind === "create_private_registry_secret") {
    return (
      <>
        <PageHeader title={title} />
        <Notice title="This workflow needs the registry password again">
          <p>Pullkeeper never keeps the password, so it cannot re-run this operation alone. Open the private registry form for namespace {String(input.namespace)} and enter it again.</p>
        </Notice>
      </>
    );
  }
  return (
    <>
      <PageHeader title={title} description="The same inputs as recorded, planned against the cluster as it is now: only what is left is changed." />
      <RecordedWorkflow kind={operation.kind} input={input} canApply={can(user, "workflow.apply", scope)} applyLabel="Finish">
        <pre className="max-h-64 overflow-auto rounded bg-slate-50 p-2 font-mono text-xs">{JSON.stringify(input, null, 2)}</pre>
      </RecordedWorkflow>
    </>
  );
}
