import Link from "next/link";
import type { PullGroup } from "@/lib/pulls/types";

const TONE: Record<PullGroup["state"], string> = {
  failing: "border-red-300 bg-red-50 text-red-900",
  latent: "border-amber-300 bg-amber-50 text-amber-900",
};

/**
 * The namespace's pulls: pods that fail to pull now (from the kubelet's own
 * errors) and Running pods that would fail when rescheduled, one line per
 * image and cause, with a credential fix offered only for credential causes.
 */
export function PullsSection({ cluster, namespace, groups, canPlan }: { cluster: string; namespace: string; groups: PullGroup[]; canPlan: boolean }) {
  if (groups.length === 0) return <p className="text-sm text-slate-600">Every pod in {namespace} pulled its images, and every running one could pull them again.</p>;
  const fix = `/clusters/${encodeURIComponent(cluster)}/workflows/copy?${new URLSearchParams({ namespaces: namespace }).toString()}`;
  return (
    <ul className="space-y-2" aria-label={`Pull problems in ${namespace}`}>
      {groups.map((g) => (
        <li key={`${g.state}|${g.image}|${g.cause}`} className={`rounded-md border-l-4 p-3 text-sm ${TONE[g.state]}`}>
          <p className="font-medium">{g.sentence}</p>
          <p className="mt-1">{g.advice}</p>
          <p className="mt-1 text-xs">
            {g.workloads.length ? <>{g.workloads.join(", ")} · </> : null}
            pods: <span className="font-mono">{g.pods.join(", ")}</span>
          </p>
          {g.error ? (
            <details className="mt-1 text-xs">
              <summary className="cursor-pointer">The kubelet&apos;s error</summary>
              <p className="mt-1 break-all font-mono">{g.error}</p>
            </details>
          ) : null}
          {g.credentialFix && canPlan ? (
            <Link href={fix} className="mt-2 inline-block rounded border border-slate-300 bg-white px-2 py-1 text-slate-900 hover:bg-slate-50">
              Fix: copy a pull secret here and restart…
            </Link>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
