"use client";

import { useEffect, useRef } from "react";
import type { PlanStepView, PlanView } from "@/lib/workflows/plan-view";

const STATUS_LABEL = { change: "Will change", skip: "Already in place", refused: "Refused" } as const;
const STATUS_STYLE = {
  change: "bg-sky-50 text-sky-900 ring-sky-200",
  skip: "bg-slate-50 text-slate-600 ring-slate-200",
  refused: "bg-amber-50 text-amber-900 ring-amber-300",
} as const;
const STATUS_ICON = { change: "●", skip: "✓", refused: "⚠" } as const;

function listText(value: string[] | string | null): string {
  if (value === null) return "—";
  if (Array.isArray(value)) return value.length ? value.join(", ") : "(none)";
  return value;
}

function StepRow({ step }: { step: PlanStepView }) {
  return (
    <li className="flex gap-3 py-2">
      <span className="w-8 shrink-0 text-right font-mono text-xs text-slate-500">{step.sequence}</span>
      <span className={`h-fit shrink-0 rounded px-1.5 py-0.5 text-xs font-medium ring-1 ${STATUS_STYLE[step.status]}`}>
        <span aria-hidden>{STATUS_ICON[step.status]} </span>
        {STATUS_LABEL[step.status]}
      </span>
      <div className="min-w-0 text-sm">
        <p>{step.title}</p>
        {step.reason ? <p className="text-xs text-slate-600">{step.reason}</p> : null}
        {step.before !== null || step.after !== null ? (
          <p className="mt-0.5 font-mono text-xs text-slate-600">
            <span className="sr-only">Before: </span>
            {listText(step.before)} <span aria-hidden>→</span>
            <span className="sr-only"> after: </span> {listText(step.after)}
          </p>
        ) : null}
        {step.beforeFingerprint || step.afterFingerprint ? (
          <p className="font-mono text-xs text-slate-500">
            fingerprint {step.beforeFingerprint ?? "∅"} → {step.afterFingerprint ?? "new"}
          </p>
        ) : null}
      </div>
    </li>
  );
}

/** The plan as the operator reviews it: counts, warnings, then every step grouped, changes first. */
export function PlanPreview({ plan, notice }: { plan: PlanView; notice: string | null }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [plan.digest]);
  const groups = new Map<string, PlanStepView[]>();
  for (const step of plan.steps) groups.set(step.group, [...(groups.get(step.group) ?? []), step]);

  return (
    <section aria-labelledby="preview-heading" className="rounded-md border border-slate-200 bg-white p-4">
      <h2 id="preview-heading" ref={heading} tabIndex={-1} className="text-base font-semibold">
        Preview
      </h2>
      <p className="mt-1 text-sm text-slate-700" data-testid="plan-counts">
        <strong>{plan.counts.change}</strong> change{plan.counts.change === 1 ? "" : "s"} ·{" "}
        <strong>{plan.counts.skip}</strong> already in place · <strong>{plan.counts.refused}</strong> refused — read
        from cluster <strong>{plan.cluster}</strong> at {new Date(plan.readAt).toLocaleTimeString()}.
        {plan.previewOperationId ? (
          <>
            {" "}
            <a className="text-sky-800 underline" href={`/audit/${plan.previewOperationId}`}>
              Preview record
            </a>
          </>
        ) : null}
      </p>
      {notice ? (
        <p role="status" className="mt-3 rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900">
          {notice}
        </p>
      ) : null}
      {plan.warnings.length ? (
        <ul aria-label="Warnings" className="mt-3 space-y-1">
          {plan.warnings.map((warning, index) => (
            <li key={`${warning.code}-${index}`} className="rounded border border-amber-200 bg-amber-50 px-2 py-1 text-sm text-amber-900">
              <span aria-hidden>⚠ </span>
              {warning.message}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="mt-3 max-h-[28rem] overflow-auto">
        {[...groups.entries()].map(([group, steps]) => (
          <details key={group} open={steps.some((step) => step.status !== "skip") || groups.size <= 3} className="border-t border-slate-100 py-1">
            <summary className="cursor-pointer py-1 text-sm font-medium">
              {group}{" "}
              <span className="font-normal text-slate-500">
                ({steps.filter((s) => s.status === "change").length} change, {steps.filter((s) => s.status === "skip").length} in place,{" "}
                {steps.filter((s) => s.status === "refused").length} refused)
              </span>
            </summary>
            <ol className="divide-y divide-slate-50">
              {steps.map((step) => (
                <StepRow key={step.key} step={step} />
              ))}
            </ol>
          </details>
        ))}
      </div>
    </section>
  );
}
