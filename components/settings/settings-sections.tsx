import { ICR_DOMAINS, LEGACY_DOMAINS } from "@/lib/registry/domains";
import type { SettingsOverview } from "@/lib/api/settings";

const shell = "overflow-x-auto rounded-md border border-slate-200 bg-white";
const head = "border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500";
const cell = "px-3 py-2 align-top";

export function SettingsSection({ id, title, description, children }: { id: string; title: string; description?: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="mb-8">
      <h2 id={id} className="text-base font-semibold">
        {title}
      </h2>
      {description ? <p className="mb-2 mt-1 max-w-3xl text-sm text-slate-600">{description}</p> : <div className="mb-2" />}
      {children}
    </section>
  );
}

/**
 * Clusters found and where they came from: files, contexts, server URLs; no credentials.
 * Without `details` (anyone but an admin), only the context names and namespaces:
 * file paths, server URLs and kubeconfig user entries are left out.
 */
export function ClustersSources({ kubeconfig, clusters, details }: Pick<SettingsOverview, "kubeconfig" | "clusters"> & { details: boolean }) {
  return (
    <>
      <p className="mb-2 text-sm">
        {kubeconfig.inCluster ? "Running in a cluster: the pod's service account is used. " : null}
        {details && kubeconfig.paths.length ? (
          <>
            Kubeconfig {kubeconfig.fromEnv ? "from KUBECONFIG" : "(default location)"}: <code className="font-mono">{kubeconfig.paths.join(":")}</code>
          </>
        ) : null}
        {details ? null : "Kubeconfig files, server addresses and user entries are shown to admins only."}
      </p>
      {details && kubeconfig.problems.length ? (
        <ul className="mb-2 list-disc pl-5 text-sm text-red-800">
          {kubeconfig.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      {clusters.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-600">No kubeconfig context was found.</p>
      ) : (
        <div className={shell}>
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Clusters (kubeconfig contexts)</caption>
            <thead className={head}>
              <tr>
                <th scope="col" className={cell}>Context</th>
                {details ? (
                  <>
                    <th scope="col" className={cell}>Cluster entry</th>
                    <th scope="col" className={cell}>Server</th>
                    <th scope="col" className={cell}>User entry</th>
                  </>
                ) : null}
                <th scope="col" className={cell}>Namespace</th>
                {details ? <th scope="col" className={cell}>Source</th> : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {clusters.map((c) => (
                <tr key={c.name}>
                  <th scope="row" className={`${cell} font-medium`}>{c.name}</th>
                  {details ? (
                    <>
                      <td className={cell}>{c.clusterEntry}</td>
                      <td className={`${cell} font-mono text-xs`}>{c.server}</td>
                      <td className={cell}>{c.user}</td>
                    </>
                  ) : null}
                  <td className={cell}>{c.namespace ?? "—"}</td>
                  {details ? <td className={`${cell} font-mono text-xs`}>{c.sourceFile ?? "in-cluster"}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function IamIdentityCard({ iam }: { iam: SettingsOverview["iam"] }) {
  if (!iam.configured) {
    return (
      <p className="rounded-md border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-700">
        Not configured. Set <code className="font-mono">IBMCLOUD_API_KEY</code> to let Pullkeeper create service IDs, policies and API keys; until then those workflow steps are refused.
      </p>
    );
  }
  if (!iam.ok) {
    return (
      <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-900">
        Configured, but IBM Cloud IAM did not accept it: {iam.error}
      </p>
    );
  }
  return (
    <dl className="grid max-w-2xl grid-cols-[max-content_1fr] gap-x-4 gap-y-1 rounded-md border border-slate-200 bg-white p-4 text-sm">
      <dt className="text-slate-500">Account</dt>
      <dd className="font-mono">{iam.accountId}</dd>
      <dt className="text-slate-500">Identity</dt>
      <dd className="font-mono">{iam.iamId}</dd>
      <dt className="text-slate-500">Kind</dt>
      <dd>{iam.kind.replace("_", " ")}</dd>
      {iam.name ? (
        <>
          <dt className="text-slate-500">Name</dt>
          <dd>{iam.name}</dd>
        </>
      ) : null}
      {iam.email ? (
        <>
          <dt className="text-slate-500">Email</dt>
          <dd>{iam.email}</dd>
        </>
      ) : null}
    </dl>
  );
}

export function RegistryDomains() {
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <div className={shell}>
        <table className="w-full text-left text-sm">
          <caption className="px-3 py-2 text-left font-medium">icr.io domains</caption>
          <thead className={head}>
            <tr>
              <th scope="col" className={cell}>Domain</th>
              <th scope="col" className={cell}>Region</th>
              <th scope="col" className={cell}>Notes</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {ICR_DOMAINS.map((d) => (
              <tr key={d.domain}>
                <th scope="row" className={`${cell} font-mono font-normal`}>{d.domain}</th>
                <td className={cell}>{d.regionName}</td>
                <td className={`${cell} text-xs text-slate-600`}>
                  {[d.inOriginalSet ? "2019 IKS set (default-*-icr-io)" : null, d.private ? "private endpoint" : null, d.entitled ? "entitled software, user cp" : null].filter(Boolean).join("; ") || "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className={`${shell} self-start`}>
        <table className="w-full text-left text-sm">
          <caption className="px-3 py-2 text-left font-medium">Discontinued domains (registry tokens stopped working on 19 Aug 2021)</caption>
          <thead className={head}>
            <tr>
              <th scope="col" className={cell}>Domain</th>
              <th scope="col" className={cell}>Region</th>
              <th scope="col" className={cell}>Successor</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {LEGACY_DOMAINS.map((d) => (
              <tr key={d.domain}>
                <th scope="row" className={`${cell} font-mono font-normal`}>{d.domain}</th>
                <td className={cell}>{d.region}</td>
                <td className={`${cell} font-mono`}>
                  {d.successor}
                  {d.inferred ? <span className="ml-1 font-sans text-xs text-slate-600">(inferred)</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function LimitsList({ limits }: { limits: SettingsOverview["limits"] }) {
  const rows: [string, string, string][] = [
    ["Kubernetes request timeout", `${limits.kubeRequestTimeoutMs.toLocaleString("en-US")} ms`, "PULLKEEPER_KUBE_TIMEOUT_MS"],
    ["Most concurrent requests per cluster (adaptive)", String(limits.kubeConcurrency), "PULLKEEPER_KUBE_CONCURRENCY"],
    ["Concurrent workflow steps", String(limits.workflowConcurrency), "PULLKEEPER_KUBE_CONCURRENCY"],
    ["Registry verification timeout", `${limits.verifyTimeoutMs.toLocaleString("en-US")} ms`, "built in"],
    ["Registry endpoint template", limits.registryEndpointTemplate ?? "https://{domain}", "REGISTRY_ENDPOINT_TEMPLATE"],
    ["Scan reused for", `${limits.scanMaxAgeMs / 60_000} min (failed scans ${limits.failedScanMaxAgeMs / 1000} s)`, "built in"],
  ];
  return (
    <div className={`${shell} max-w-3xl`}>
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Concurrency limits and timeouts</caption>
        <thead className={head}>
          <tr>
            <th scope="col" className={cell}>Setting</th>
            <th scope="col" className={cell}>Value</th>
            <th scope="col" className={cell}>Set by</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map(([label, value, source]) => (
            <tr key={label}>
              <th scope="row" className={`${cell} font-normal`}>{label}</th>
              <td className={`${cell} font-mono`}>{value}</td>
              <td className={`${cell} font-mono text-xs text-slate-600`}>{source}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
