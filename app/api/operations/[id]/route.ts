import { auditStore } from "@/lib/audit";
import { mayView } from "@/lib/audit/visibility";
import { withUser } from "@/lib/auth";
import { operationProgress } from "@/lib/queries/operation-progress";

export const dynamic = "force-dynamic";

/** An operation and its steps, polled by the progress view while a workflow runs. */
export const GET = withUser<{ params: Promise<{ id: string }> }>("audit.read", async (_request, { params, user }) => {
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/.test(id)) return Response.json({ error: "Not an operation id" }, { status: 404 });
  const operation = await (await auditStore()).getOperation(id);
  if (!operation || !mayView(user, operation)) return Response.json({ error: "No such operation" }, { status: 404 });
  return Response.json(
    operationProgress(operation, operation.status === "running"),
    { headers: { "Cache-Control": "no-store" } },
  );
});
