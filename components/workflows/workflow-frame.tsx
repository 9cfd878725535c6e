"use client";

import type { FormEvent, ReactNode } from "react";
import { OperationProgress } from "./operation-progress";
import { PlanPreview } from "./plan-preview";
import type { WorkflowRunner } from "./use-workflow-runner";

/**
 * Form → Preview → Apply → live progress. The Apply button only ever runs the
 * plan on screen; it is absent for roles that may not apply.
 */
export function WorkflowFrame({
  runner,
  onPreview,
  canApply,
  applyLabel = "Apply",
  children,
}: {
  /** Any workflow's runner: the frame previews through `onPreview`, which knows the form's input type. */
  runner: Omit<WorkflowRunner, "preview">;
  onPreview: () => void;
  canApply: boolean;
  applyLabel?: string;
  children: ReactNode;
}) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onPreview();
  };
  const running = runner.operationId !== null;
  return (
    <div className="grid gap-6 xl:grid-cols-[minmax(0,26rem)_minmax(0,1fr)]">
      <form onSubmit={submit} aria-label="Workflow input" className="space-y-4 rounded-md border border-slate-200 bg-white p-4" noValidate>
        <fieldset disabled={running} className="space-y-4">
          {children}
        </fieldset>
        {runner.error ? (
          <p role="alert" className="rounded border border-red-200 bg-red-50 p-2 text-sm text-red-800">
            {runner.error}
          </p>
        ) : null}
        <div className="flex gap-2">
          {!running ? (
            <button type="submit" disabled={runner.pending} className="rounded bg-slate-900 px-4 py-1.5 text-sm font-medium text-white hover:bg-slate-700 disabled:opacity-50">
              {runner.pending && !runner.plan ? "Planning…" : runner.plan ? "Preview again" : "Preview"}
            </button>
          ) : (
            <button type="button" onClick={runner.reset} disabled={!runner.finished} className="rounded border border-slate-300 px-4 py-1.5 text-sm hover:bg-slate-50 disabled:opacity-50">
              Start over
            </button>
          )}
        </div>
      </form>
      <div className="space-y-4">
        {running ? (
          <OperationProgress operationId={runner.operationId!} progress={runner.progress} error={runner.progressError} onCancel={runner.cancel} pending={runner.pending} />
        ) : runner.plan ? (
          <>
            <PlanPreview plan={runner.plan} notice={runner.notice} />
            {canApply ? (
              <div className="flex items-center gap-3">
                <button
                  type="button"
                  onClick={runner.apply}
                  disabled={runner.pending || runner.plan.counts.change === 0}
                  className="rounded bg-sky-700 px-4 py-2 text-sm font-semibold text-white hover:bg-sky-800 disabled:opacity-50"
                >
                  {runner.pending ? "Applying…" : `${applyLabel} (${runner.plan.counts.change} change${runner.plan.counts.change === 1 ? "" : "s"})`}
                </button>
                <span className="text-xs text-slate-500">Runs exactly this plan; if the cluster changed meanwhile, nothing is written and you get a new preview.</span>
              </div>
            ) : (
              <p className="text-sm text-slate-600">Your role may preview but not apply workflows.</p>
            )}
          </>
        ) : (
          <p className="rounded-md border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">
            Fill in the form and choose <strong>Preview</strong>: Pullkeeper reads the cluster and lists every change, everything already in place and anything your credentials may not do, before anything is written.
          </p>
        )}
      </div>
    </div>
  );
}
