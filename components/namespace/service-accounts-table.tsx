import type { ServiceAccountView } from "@/lib/api/namespace";
import { headRow, tableShell, td, th } from "./labels";

export function ServiceAccountsTable({ namespace, accounts }: { namespace: string; accounts: ServiceAccountView[] }) {
  if (accounts.length === 0) {
    return <p className="rounded-md border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-600">No service account could be read in this namespace.</p>;
  }
  return (
    <div className={tableShell}>
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Service accounts in {namespace} and their image pull secrets</caption>
        <thead className={headRow}>
          <tr>
            <th scope="col" className={th}>Service account</th>
            <th scope="col" className={th}>imagePullSecrets</th>
            <th scope="col" className={th}>Managed by</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {accounts.map((sa) => (
            <tr key={sa.name}>
              <th scope="row" className={`${td} font-mono font-normal`}>
                {sa.name}
              </th>
              <td className={td}>
                {sa.pullSecrets.length === 0 ? (
                  <span className="text-slate-600">none</span>
                ) : (
                  <ul className="flex flex-wrap gap-1">
                    {sa.pullSecrets.map((p) => (
                      <li key={p.name} className={`rounded px-1.5 py-0.5 font-mono text-xs ${p.exists ? "bg-slate-100" : "bg-red-100 text-red-900"}`}>
                        {p.name}
                        {p.exists ? "" : " (not found)"}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td className={td}>
                {sa.managedBy ?? "—"}
                {sa.managedBy && sa.managedBy !== "pullkeeper" ? <span className="block text-xs text-amber-900">Out-of-band patches may be reverted by {sa.managedBy}.</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
