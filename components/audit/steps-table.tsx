import type { StepRecord } from "@/lib/audit/port";

const OUTCOME_STYLES: Record<string, string> = {
  succeeded: "text-emerald-800",
  failed: "text-red-700",
  skipped: "text-slate-500",
  refused: "text-amber-800",
  planned: "text-violet-800",
  started: "text-sky-800",
};

export function StepsTable({ steps }: { steps: StepRecord[] }) {
  if (steps.length === 0) {
    return <p className="rounded-md border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-600">This operation recorded no step.</p>;
  }
  return (
    <div className="overflow-x-auto rounded-md border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-3 py-2">#</th>
            <th scope="col" className="px-3 py-2">Action</th>
            <th scope="col" className="px-3 py-2">Target</th>
            <th scope="col" className="px-3 py-2">Outcome</th>
            <th scope="col" className="px-3 py-2">Fingerprint before → after</th>
            <th scope="col" className="px-3 py-2 text-right">Duration</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {steps.map((step) => (
            <tr key={step.sequence} className="align-top">
              <td className="px-3 py-2 font-mono text-xs text-slate-500">{step.sequence}</td>
              <td className="px-3 py-2 font-mono text-xs">{step.action}</td>
              <td className="px-3 py-2">
                {step.target ? (
                  <>
                    <span className="text-slate-500">{step.target.kind} </span>
                    {step.target.namespace ? `${step.target.namespace}/` : ""}
                    {step.target.name}
                  </>
                ) : (
                  "—"
                )}
              </td>
              <td className={`px-3 py-2 font-medium ${OUTCOME_STYLES[step.outcome] ?? ""}`}>
                {step.outcome}
                {step.error ? (
                  <div className="mt-1 max-w-md text-xs font-normal text-red-800">
                    <span className="font-mono">{step.error.kind}</span>: {step.error.message}
                  </div>
                ) : null}
                {!step.error && typeof step.detail?.reason === "string" ? (
                  <div className="mt-1 max-w-md text-xs font-normal text-slate-600">{step.detail.reason}</div>
                ) : null}
              </td>
              <td className="px-3 py-2 font-mono text-xs">
                {step.beforeFingerprint || step.afterFingerprint ? `${step.beforeFingerprint ?? "∅"} → ${step.afterFingerprint ?? "∅"}` : "—"}
              </td>
              <td className="px-3 py-2 text-right font-mono text-xs">{step.durationMs !== null ? `${step.durationMs} ms` : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
