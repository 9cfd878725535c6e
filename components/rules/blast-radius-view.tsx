import type { BlastRadius } from "@/lib/rules/blast-radius";

/** What saving the form would change right now, per cluster; a cluster that could not be read says so instead of counting zero. */
export function BlastRadiusView({ radius }: { radius: BlastRadius }) {
  const { totals } = radius;
  return (
    <section aria-labelledby="blast-radius-heading" className="rounded-md border border-sky-200 bg-sky-50 p-4 text-sm">
      <h3 id="blast-radius-heading" className="font-semibold">
        Blast radius
      </h3>
      <p role="status" className="mt-1 text-slate-700">
        Across {totals.clusters} {totals.clusters === 1 ? "cluster" : "clusters"}: {totals.matched} namespaces matched, {totals.driftNamespaces} would change ({totals.copies} copies, {totals.refreshes} refreshes, {totals.attachments} attachments, {totals.removals} removals), {totals.conflicts} conflicts
        {totals.unreadable ? `, ${totals.unreadable} clusters unreadable` : ""}.
        {totals.leavingScope
          ? ` ${totals.leavingScope} ${totals.leavingScope === 1 ? "cluster leaves" : "clusters leave"} the rule's scope: the copies it made there would be removed.`
          : ""}
      </p>
      {radius.clusters.length ? (
        <table className="mt-3 w-full bg-white text-left text-xs">
          <caption className="sr-only">Blast radius per cluster</caption>
          <thead className="bg-slate-50 uppercase tracking-wide text-slate-600">
            <tr>
              {["Cluster", "Matched", "Would change", "Copies", "Refreshes", "Attachments", "Removals", "Conflicts", "For example"].map((heading) => (
                <th key={heading} scope="col" className="px-2 py-1">
                  {heading}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {radius.clusters.map((cluster) => (
              <tr key={cluster.cluster} className="border-t border-slate-100 align-top">
                <th scope="row" className="px-2 py-1 font-medium">
                  {cluster.cluster}
                  {cluster.leavesScope ? <span className="block font-normal text-amber-900">leaves the scope</span> : null}
                </th>
                {cluster.unreadable ? (
                  <td colSpan={8} className="px-2 py-1 text-amber-900">
                    Unreadable, its share is unknown: {cluster.unreadable}
                  </td>
                ) : (
                  <>
                    <td className="px-2 py-1">{cluster.matched}</td>
                    <td className="px-2 py-1">{cluster.driftNamespaces}</td>
                    <td className="px-2 py-1">{cluster.copies}</td>
                    <td className="px-2 py-1">{cluster.refreshes}</td>
                    <td className="px-2 py-1">{cluster.attachments}</td>
                    <td className="px-2 py-1">{cluster.removals}</td>
                    <td className="px-2 py-1">{cluster.conflicts.length}</td>
                    <td className="px-2 py-1">
                      {cluster.sample.join(", ") || "—"}
                      {cluster.sourceProblem ? <span className="block text-amber-900">{cluster.sourceProblem}</span> : null}
                    </td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {radius.clusters.some((cluster) => cluster.conflicts.length) ? (
        <ul className="mt-3 list-disc pl-5 text-red-900">
          {radius.clusters.flatMap((cluster) =>
            cluster.conflicts.map((conflict, index) => (
              <li key={`${cluster.cluster}/${conflict.namespace}/${index}`}>
                {cluster.cluster} / {conflict.namespace}: {conflict.reason}
              </li>
            )),
          )}
        </ul>
      ) : null}
    </section>
  );
}
