import type { FleetGroupShare } from "@/lib/api/fleet";

/** One line: the icr.io bar (the column's subject) with its share in text, then the other registry groups as figures (colour is not the only cue). */
export function CompactCoverage({ groups }: { groups: FleetGroupShare[] }) {
  const [main, ...others] = [...groups].sort((a, b) => (a.group === "icr" ? -1 : b.group === "icr" ? 1 : 0));
  if (!main) return <span className="text-slate-500">—</span>;
  const total = main.fullyCovered + main.partiallyCovered + main.uncovered;
  const pct = (n: number) => (total === 0 ? 0 : (n / total) * 100);
  return (
    <span className="flex items-center gap-2 whitespace-nowrap text-xs">
      {main.group === "icr" ? null : <span className="shrink-0 font-medium">{main.label}</span>}
      <span
        className="flex h-2 w-16 shrink-0 overflow-hidden rounded bg-slate-200"
        role="img"
        aria-label={`${main.label}: ${main.fullyCovered} of ${total} namespaces fully covered, ${main.partiallyCovered} partly, ${main.uncovered} not covered`}
      >
        <span className="bg-covered" style={{ width: `${pct(main.fullyCovered)}%` }} />
        <span className="bg-unattached" style={{ width: `${pct(main.partiallyCovered)}%` }} />
      </span>
      <span className="tabular-nums">
        {Math.round(pct(main.fullyCovered))}% ({main.fullyCovered}/{total})
      </span>
      {others.map((g) => (
        <span key={g.group} className="text-slate-600" title={`${g.label}: ${g.fullyCovered} fully covered, ${g.partiallyCovered} partly, ${g.uncovered} not covered`}>
          {g.label} {g.fullyCovered}/{g.fullyCovered + g.partiallyCovered + g.uncovered}
        </span>
      ))}
    </span>
  );
}
