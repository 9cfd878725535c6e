/** The honest empty state: no kubeconfig context was found, and how to add one. */
export function NoClusters({ paths, problems }: { paths: string[]; problems: string[] }) {
  return (
    <section aria-labelledby="no-clusters" className="rounded-md border border-dashed border-slate-300 bg-white p-6 text-sm">
      <h2 id="no-clusters" className="text-base font-semibold">
        No cluster is configured
      </h2>
      <p className="mt-2 text-slate-700">
        Pullkeeper treats every kubeconfig context as a cluster, and it found none
        {paths.length ? (
          <>
            {" "}in <code className="font-mono">{paths.join(", ")}</code>
          </>
        ) : null}
        .
      </p>
      <ul className="mt-3 list-disc space-y-1 pl-5 text-slate-700">
        <li>
          Set <code className="font-mono">KUBECONFIG</code> to one or more kubeconfig files (separated by <code className="font-mono">:</code>) and restart Pullkeeper.
        </li>
        <li>
          Or put a kubeconfig at <code className="font-mono">~/.kube/config</code> for the user running Pullkeeper.
        </li>
        <li>Inside a cluster, Pullkeeper uses its pod&apos;s service account when no kubeconfig is given.</li>
        <li>
          To try it on a simulated fleet: <code className="font-mono">npm run demo</code>.
        </li>
      </ul>
      {problems.length ? (
        <div className="mt-3">
          <h3 className="font-medium text-red-900">Problems found while reading kubeconfig</h3>
          <ul className="mt-1 list-disc pl-5 text-red-900">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
