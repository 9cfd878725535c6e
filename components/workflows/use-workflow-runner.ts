"use client";

import { useQuery } from "@tanstack/react-query";
import { useCallback, useState, useTransition } from "react";
import { applyWorkflowAction } from "@/lib/actions/workflows/apply-workflow";
import { cancelOperationAction } from "@/lib/actions/workflows/cancel-operation";
import { previewWorkflowAction } from "@/lib/actions/workflows/preview-workflow";
import type { OperationProgressView } from "@/lib/api/operation";
import type { WorkflowInput, WorkflowKind } from "@/lib/workflows/catalog";
import type { PlanView } from "@/lib/workflows/plan-view";

const FINAL = new Set(["succeeded", "failed", "partially_failed", "interrupted"]);

export const operationQueryKey = (id: string) => ["operation", id] as const;

async function fetchOperation(id: string): Promise<OperationProgressView> {
  const response = await fetch(`/api/operations/${id}`, { cache: "no-store" });
  if (!response.ok) throw new Error(response.status === 401 ? "Your session expired; sign in again to follow this run." : `Progress unavailable (${response.status}).`);
  return (await response.json()) as OperationProgressView;
}

/** Polls a started operation until it reaches a final status. */
function useOperationProgress(operationId: string | null) {
  const progress = useQuery({
    queryKey: operationQueryKey(operationId ?? "none"),
    queryFn: () => fetchOperation(operationId!),
    enabled: operationId !== null,
    refetchInterval: (query) => (query.state.data && FINAL.has(query.state.data.status) ? false : 600),
    retry: 2,
  });
  return {
    progress: progress.data ?? null,
    progressError: progress.error instanceof Error ? progress.error.message : null,
    finished: progress.data ? FINAL.has(progress.data.status) : false,
  };
}

/** The plan on show, the input it was built from and the notice about it; any edit drops all three. */
function usePreviewedPlan<K extends WorkflowKind>() {
  const [plan, setPlan] = useState<PlanView | null>(null);
  const [previewedInput, setPreviewedInput] = useState<WorkflowInput<K> | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  /** Any edit invalidates the preview: Apply must never run something not shown. */
  const inputChanged = useCallback(() => {
    setPlan(null);
    setPreviewedInput(null);
    setNotice(null);
  }, []);

  /** Wraps a state setter so that using it also drops the preview. */
  const edit = useCallback(
    <T,>(set: (value: T) => void) =>
      (value: T) => {
        set(value);
        inputChanged();
      },
    [inputChanged],
  );

  return { plan, setPlan, previewedInput, setPreviewedInput, notice, setNotice, inputChanged, edit };
}

/**
 * The preview → apply → progress cycle shared by every workflow form. The plan
 * shown is always the one Apply will run: editing the form drops it.
 */
export function useWorkflowRunner<K extends WorkflowKind>(kind: K) {
  const { plan, setPlan, previewedInput, setPreviewedInput, notice, setNotice, inputChanged, edit } = usePreviewedPlan<K>();
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [operationId, setOperationId] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const { progress, progressError, finished } = useOperationProgress(operationId);

  const preview = useCallback(
    (input: WorkflowInput<K>) => {
      setError(null);
      setNotice(null);
      startTransition(async () => {
        const result = await previewWorkflowAction({ kind, input });
        if (result.ok) {
          setPlan(result.data);
          setPreviewedInput(input);
          setFieldErrors({});
        } else {
          setPlan(null);
          setError(result.error);
          setFieldErrors(result.fieldErrors ?? {});
        }
      });
    },
    [kind, setNotice, setPlan, setPreviewedInput],
  );

  const apply = useCallback(() => {
    if (!plan || !previewedInput) return;
    setError(null);
    startTransition(async () => {
      const result = await applyWorkflowAction({ kind, input: previewedInput, digest: plan.digest });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      if (!result.data.started) {
        setPlan(result.data.plan);
        setNotice(result.data.message);
        return;
      }
      setOperationId(result.data.operationId);
    });
  }, [kind, plan, previewedInput, setNotice, setPlan]);

  const cancel = useCallback(() => {
    if (!operationId) return;
    startTransition(async () => {
      const result = await cancelOperationAction({ operationId });
      if (!result.ok) setError(result.error);
      else setNotice("Cancelling: the step in flight finishes, no new step starts.");
    });
  }, [operationId, setNotice]);

  const reset = useCallback(() => {
    inputChanged();
    setOperationId(null);
    setError(null);
  }, [inputChanged]);

  return { plan, error, fieldErrors, notice, pending, operationId, progress, progressError, finished, preview, apply, cancel, inputChanged, edit, reset };
}

export type WorkflowRunner<K extends WorkflowKind = WorkflowKind> = ReturnType<typeof useWorkflowRunner<K>>;
