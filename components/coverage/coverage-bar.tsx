/**
 * A small stacked bar over the namespaces that need the group: fully covered / partly covered / uncovered, with the
 * numbers in text (colour is not the only cue). When none needs it, it says so instead of "0%".
 */
export function CoverageBar({ label, full, partial, uncovered }: { label: string; full: number; partial: number; uncovered: number }) {
  const total = full + partial + uncovered;
  const pct = (n: number) => (total === 0 ? 0 : (n / total) * 100);
  const share = total === 0 ? 0 : Math.round((full / total) * 100);
  return (
    <div className="min-w-40">
      <div className="flex justify-between gap-2 text-xs">
        <span className="font-medium">{label}</span>
        <span>{total === 0 ? "not needed" : `${share}% covered (${full}/${total})`}</span>
      </div>
      <div
        className="mt-0.5 flex h-2 overflow-hidden rounded bg-slate-200"
        role="img"
        aria-label={total === 0 ? `${label}: no namespace needs it` : `${label}: ${full} of ${total} namespaces that need it fully covered, ${partial} partly, ${uncovered} not covered`}
      >
        <span className="bg-covered" style={{ width: `${pct(full)}%` }} />
        <span className="bg-unattached" style={{ width: `${pct(partial)}%` }} />
      </div>
    </div>
  );
}
