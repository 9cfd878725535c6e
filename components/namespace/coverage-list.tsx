import { STATE_DISPLAY } from "@/components/coverage/states";
import { VerificationText } from "@/components/coverage/verification-text";
import type { CoverageCellView } from "@/lib/api/namespace";
import { headRow, tableShell, td, th } from "./labels";

/** The namespace's row of the coverage matrix, with the secrets behind each state. */
export function CoverageList({ namespace, cells }: { namespace: string; cells: CoverageCellView[] }) {
  return (
    <div className={tableShell}>
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Coverage of {namespace} by registry</caption>
        <thead className={headRow}>
          <tr>
            <th scope="col" className={th}>Registry</th>
            <th scope="col" className={th}>State</th>
            <th scope="col" className={th}>Secrets and verification</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {cells.map((c) => {
            const s = STATE_DISPLAY[c.state];
            return (
              <tr key={c.registry}>
                <th scope="row" className={`${td} font-mono font-normal`}>
                  {c.registry}
                </th>
                <td className={td}>
                  <span className={`inline-block whitespace-nowrap rounded-sm border-l-4 px-1.5 py-0.5 text-xs ${s.className}`} title={s.explain(c.registry)}>
                    <span aria-hidden>{s.icon}</span> {s.label}
                  </span>
                </td>
                <td className={`${td} text-xs`}>
                  {c.secrets.length === 0 ? (
                    <span className="text-slate-600">{s.explain(c.registry)}</span>
                  ) : (
                    <ul>
                      {c.secrets.map((secret) => (
                        <li key={secret.name}>
                          <span className="font-mono">{secret.name}</span> — <VerificationText state={secret.verification} />
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
