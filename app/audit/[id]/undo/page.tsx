import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/shell/page-header";
import { RecordedWorkflow } from "@/components/workflows/recorded-workflow";
import { auditStore } from "@/lib/audit";
import { mayView } from "@/lib/audit/visibility";
import { can, requireUser } from "@/lib/auth";

export const metadata: Metadata = { title: "Undo operation" };
export const dynamic = "force-dynamic";

export default async function UndoPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser("workflow.plan");
  const operation = /^[0-9a-f-]{36}$/.test(id) ? await (await auditStore()).getOperation(id) : null;
  if (!operation || !mayView(user, operation)) notFound();
  const scope = operation.cluster ? { cluster: operation.cluster } : undefined;
  return (
    <>
      <PageHeader title={`Undo ${operation.kind.replaceAll("_", " ")}`} description={operation.summary ?? undefined} />
      <RecordedWorkflow kind="undo" input={{ operationId: operation.id }} canApply={can(user, "workflow.apply", scope)} applyLabel="Undo">
        {operation.kind === "rotate_api_key" ? (
          <p className="text-sm">
            Undo key rotation <span className="font-mono text-xs">{operation.id}</span> before it deletes the old key: cancel that delete, unlock the old key, write it back into every
            secret the rotation changed, in every cluster, verify each, then delete the key the rotation minted. The old key&apos;s value was kept sealed for this only while the
            rotation waits; once the old key is deleted, there is no undo.
          </p>
        ) : (
          <p className="text-sm">
            Undo operation <span className="font-mono text-xs">{operation.id}</span>: delete the secrets and IAM objects it created and detach what it attached, where they are unchanged since.
            Deleted secrets and overwritten contents cannot be restored, since Pullkeeper never keeps credential values; the preview says which steps that affects.
          </p>
        )}
      </RecordedWorkflow>
    </>
  );
}
