import type { ClusterLabelling } from "@/lib/clusters/labels";
import { labelPairs } from "@/lib/fleet-view/labels";

/** A cluster's display name, with its real name beside it (and as the title) when the two differ. */
export function ClusterDisplayName({ labelling }: { labelling: ClusterLabelling }) {
  const renamed = labelling.displayName !== labelling.name;
  return (
    <>
      <span title={renamed ? `Cluster ${labelling.name}` : undefined}>{labelling.displayName}</span>
      {renamed ? <span className="ml-1.5 font-mono text-xs font-normal text-slate-500">{labelling.name}</span> : null}
    </>
  );
}

/** The cluster's labels as small `key=value` chips on one line, the first few shown and the rest in the title. */
export function ClusterLabelChips({ labels, max = 3 }: { labels: Readonly<Record<string, string>>; max?: number }) {
  const pairs = labelPairs(labels);
  if (pairs.length === 0) return null;
  const rest = pairs.length - max;
  return (
    <span className="ml-2 inline-flex gap-1 whitespace-nowrap align-middle" title={pairs.join("\n")}>
      <span className="sr-only">Labels:</span>
      {pairs.slice(0, max).map((pair) => (
        <span key={pair} className="rounded bg-slate-100 px-1 py-px font-mono text-[11px] leading-4 text-slate-700">
          {pair}
        </span>
      ))}
      {rest > 0 ? (
        <span className="text-[11px] text-slate-500">
          +{rest}
          <span className="sr-only"> more: {pairs.slice(max).join(", ")}</span>
        </span>
      ) : null}
    </span>
  );
}
