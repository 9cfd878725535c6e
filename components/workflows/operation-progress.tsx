"use client";

import Link from "next/link";
import { useEffect, useRef } from "react";
import { ApiKeysLeftBehind } from "@/components/audit/api-keys-left-behind";
import type { OperationProgressView } from "@/lib/api/operation";

const OUTCOME_STYLE: Record<string, string> = {
  succeeded: "text-emerald-800",
  failed: "text-red-700",
  skipped: "text-slate-500",
  refused: "text-amber-800",
  started: "text-sky-800",
};

/** Live per-step progress of an applied workflow, polled until it ends. */
export function OperationProgress({
  operationId,
  progress,
  error,
  onCancel,
  pending,
}: {
  operationId: string;
  progress: OperationProgressView | null;
  error: string | null;
  onCancel: () => void;
  pending: boolean;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const final = progress && ["succeeded", "failed", "partially_failed", "interrupted"].includes(progress.status);
  const steps = progress?.steps ?? [];
  const finished = steps.filter((s) => s.outcome !== "started").length;

  return (
    <section aria-labelledby="progress-heading" className="rounded-md border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="progress-heading" ref={heading} tabIndex={-1} className="text-base font-semibold">
          {final ? "Result" : "Applying…"}
        </h2>
        <div className="flex items-center gap-2">
          {progress?.cancellable ? (
            <button type="button" onClick={onCancel} disabled={pending} className="rounded border border-slate-300 px-3 py-1 text-sm hover:bg-slate-50 disabled:opacity-50">
              Cancel remaining steps
            </button>
          ) : null}
          <Link href={`/audit/${operationId}`} className="text-sm text-sky-800 underline">
            Audit record
          </Link>
        </div>
      </div>
      <p role="status" aria-live="polite" className="mt-1 text-sm" data-testid="operation-status">
        {progress ? (
          <>
            Status: <strong>{progress.status.replace("_", " ")}</strong>. {finished} of {steps.length || "…"} steps done
            {progress.summary ? ` — ${progress.summary}` : ""}
          </>
        ) : (
          "Starting…"
        )}
      </p>
      {error ? <p className="mt-1 text-sm text-red-700">{error}</p> : null}
      <div className="mt-2 h-1.5 w-full overflow-hidden rounded bg-slate-100" aria-hidden>
        <div className="h-full bg-sky-600 transition-all" style={{ width: `${steps.length ? Math.round((finished / steps.length) * 100) : 5}%` }} />
      </div>
      <ol className="mt-3 max-h-96 divide-y divide-slate-50 overflow-auto text-sm">
        {steps.map((step) => (
          <li key={step.sequence} className="flex gap-3 py-1.5">
            <span className="w-8 shrink-0 text-right font-mono text-xs text-slate-500">{step.sequence}</span>
            <span className={`w-20 shrink-0 font-medium ${OUTCOME_STYLE[step.outcome] ?? ""}`}>{step.outcome}</span>
            <span className="min-w-0">
              <span className="font-mono text-xs">{step.action}</span>{" "}
              {step.target ? `${step.target.namespace ? `${step.target.namespace}/` : ""}${step.target.name}` : ""}
              {step.error ? <span className="block text-xs text-red-700">{step.error.message}</span> : null}
              {!step.error && step.reason ? <span className="block text-xs text-slate-600">{step.reason}</span> : null}
            </span>
            {step.durationMs !== null ? <span className="ml-auto shrink-0 font-mono text-xs text-slate-500">{step.durationMs} ms</span> : null}
          </li>
        ))}
      </ol>
      <ApiKeysLeftBehind keys={progress?.apiKeysLeftBehind ?? []} />
    </section>
  );
}
