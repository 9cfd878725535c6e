"use client";

import { useEffect } from "react";
import type { WorkflowInput, WorkflowKind } from "@/lib/workflows/catalog";
import { useWorkflowRunner } from "./use-workflow-runner";
import { WorkflowFrame } from "./workflow-frame";

/**
 * A workflow whose input comes from the audit log (undo, re-run to finish):
 * previewed on arrival against the live cluster, applied on demand.
 */
export function RecordedWorkflow({ kind, input, canApply, applyLabel, children }: { kind: WorkflowKind; input: Record<string, unknown>; canApply: boolean; applyLabel: string; children: React.ReactNode }) {
  const runner = useWorkflowRunner(kind);
  const { preview } = runner;
  const serialized = JSON.stringify(input);
  // Recorded inputs were validated when first applied; the actions validate them again.
  useEffect(() => preview(JSON.parse(serialized) as WorkflowInput<WorkflowKind>), [serialized, preview]);
  return (
    <WorkflowFrame runner={runner} canApply={canApply} applyLabel={applyLabel} onPreview={() => preview(input as WorkflowInput<WorkflowKind>)}>
      {children}
    </WorkflowFrame>
  );
}
