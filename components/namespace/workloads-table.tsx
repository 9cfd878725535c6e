import type { ImageView, WorkloadView } from "@/lib/api/namespace";
import { headRow, tableShell, td, th } from "./labels";

const REASON: Record<string, string> = {
  no_credentials: "no credentials for this registry",
  legacy_only: "only discontinued registry tokens",
  dangling_reference: "its pull secret does not exist",
  discontinued_registry: "discontinued registry",
};

function PullState({ image }: { image: ImageView }) {
  if (image.pull === "ok") return <span className="text-emerald-800">✓ can pull</span>;
  if (image.pull === "public") return <span className="text-slate-600">no credentials needed (public)</span>;
  return (
    <span className="font-medium text-red-800">
      ✕ at risk: {REASON[image.reason ?? ""] ?? image.reason}
      {image.successor ? `; move to ${image.successor}` : ""}
    </span>
  );
}

export function WorkloadsTable({ namespace, workloads }: { namespace: string; workloads: WorkloadView[] }) {
  if (workloads.length === 0) {
    return <p className="rounded-md border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-600">No pods or workloads in this namespace.</p>;
  }
  return (
    <div className={tableShell}>
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Workloads in {namespace}, their images and whether each can be pulled</caption>
        <thead className={headRow}>
          <tr>
            <th scope="col" className={th}>Workload</th>
            <th scope="col" className={th}>Pull secrets from</th>
            <th scope="col" className={th}>Images</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {workloads.map((w) => (
            <tr key={`${w.kind}/${w.name}`}>
              <th scope="row" className={`${td} font-normal`}>
                <span className="text-xs text-slate-500">{w.kind}</span>
                <span className="block font-mono">{w.name}</span>
                {w.phase ? <span className="block text-xs text-slate-600">{w.phase}</span> : null}
                {w.imagePullErrors.map((e) => (
                  <span key={e.container} className="block text-xs font-medium text-red-800">
                    {e.container}: {e.reason}
                  </span>
                ))}
              </th>
              <td className={`${td} text-xs`}>
                {w.ownPullSecrets.length ? (
                  <>its own list: <span className="font-mono">{w.ownPullSecrets.join(", ")}</span></>
                ) : (
                  <>service account <span className="font-mono">{w.serviceAccount}</span></>
                )}
                {w.restart ? (
                  <span className="mt-1 block text-amber-900">
                    Started before {w.serviceAccount} got {w.restart.missingSecrets.join(", ")}
                    {w.restart.restartFixes ? `: restart${w.restart.owner ? ` ${w.restart.owner.kind} ${w.restart.owner.name}` : ""} to fix its pulls` : ""}.
                  </span>
                ) : null}
              </td>
              <td className={td}>
                <ul className="space-y-1">
                  {w.images.map((img) => (
                    <li key={`${img.container}-${img.image}`}>
                      <span className="font-mono text-xs">{img.image}</span>
                      {img.init ? <span className="ml-1 text-xs text-slate-500">(init)</span> : null}
                      <span className="block text-xs">
                        <PullState image={img} />
                      </span>
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
