import Link from "next/link";
import { KeyOwnerText } from "@/components/coverage/key-owner-text";
import { VerificationText } from "@/components/coverage/verification-text";
import { RelativeTime } from "@/components/shell/relative-time";
import type { PullSecretView } from "@/lib/api/namespace";
import { DeleteSecretButton } from "./delete-secret-button";
import { CREDENTIAL_KIND_LABELS, headRow, tableShell, td, th } from "./labels";
import { VerifyButton } from "./verify-button";

const COPY_STATE: Record<NonNullable<PullSecretView["copyState"]>, { text: string; className: string }> = {
  fresh: { text: "up to date", className: "text-emerald-800" },
  stale: { text: "stale: differs from its source", className: "font-medium text-red-800" },
  orphaned: { text: "orphaned: source deleted", className: "font-medium text-amber-900" },
};

/** The fleet-wide rotation of the key this secret holds, started from it. */
const rotateHref = (cluster: string, namespace: string, secret: string) => `/clusters/${encodeURIComponent(cluster)}/workflows/rotate?${new URLSearchParams({ namespace, secret }).toString()}`;
/** IBM's leaked-key runbook: the same rotation started from the key's fingerprint, with no grace period. */
const leakedHref = (cluster: string, fingerprint: string) => `/clusters/${encodeURIComponent(cluster)}/workflows/rotate?${new URLSearchParams({ fingerprint }).toString()}`;
const apiKeyFingerprints = (secret: PullSecretView) => [...new Set(secret.entries.filter((e) => e.credentialKind === "iam-api-key").map((e) => e.fingerprint))];

/** The namespace's image pull secrets: registries, users, credential kinds and fingerprints; never a value. */
export function PullSecretsTable({ cluster, namespace, secrets, canPlan, canApply }: { cluster: string; namespace: string; secrets: PullSecretView[]; canPlan: boolean; canApply: boolean }) {
  if (secrets.length === 0) {
    return <p className="rounded-md border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-600">No image pull secret in this namespace.</p>;
  }
  return (
    <div className={tableShell}>
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Image pull secrets in {namespace}</caption>
        <thead className={headRow}>
          <tr>
            <th scope="col" className={th}>Secret</th>
            <th scope="col" className={th}>Registries, users and credentials</th>
            <th scope="col" className={th}>Age</th>
            <th scope="col" className={th}>Managed by / source</th>
            <th scope="col" className={th}>Used by</th>
            <th scope="col" className={th}>Actions</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {secrets.map((s) => (
            <tr key={s.name}>
              <th scope="row" className={`${td} font-normal`}>
                <span className="font-mono font-medium">{s.name}</span>
                <span className="block text-xs text-slate-500">{s.type.replace("kubernetes.io/", "")}</span>
                {s.credentialFingerprint ? <span className="block font-mono text-xs text-slate-500" title="Fingerprint of all entries together">fp {s.credentialFingerprint}</span> : null}
                {s.legacy ? <span className="mt-1 inline-block rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-950">legacy</span> : null}
              </th>
              <td className={td}>
                {s.parseError ? <p className="text-red-800">Unreadable: {s.parseError}</p> : null}
                <ul className="space-y-1">
                  {s.entries.map((e) => (
                    <li key={`${e.registry}-${e.username}`}>
                      <span className="font-mono">{e.registry}</span> · {e.username} · {CREDENTIAL_KIND_LABELS[e.credentialKind]} · <span className="font-mono text-xs">fp {e.fingerprint}</span>
                      <span className="block text-xs">
                        <VerificationText state={e.verification} />
                      </span>
                      {e.credentialKind === "iam-api-key" ? (
                        <span className="block text-xs">
                          <KeyOwnerText identity={e.keyOwner} />
                        </span>
                      ) : null}
                    </li>
                  ))}
                </ul>
              </td>
              <td className={`${td} whitespace-nowrap text-slate-600`}>
                <RelativeTime iso={s.createdAt} />
              </td>
              <td className={td}>
                {s.managedBy ?? "—"}
                {s.copyOf ? (
                  <span className="block text-xs">
                    copy of {s.copyOf.namespace}/{s.copyOf.name}
                    {s.copyState ? <span className={`block ${COPY_STATE[s.copyState].className}`}>{COPY_STATE[s.copyState].text}</span> : null}
                  </span>
                ) : null}
              </td>
              <td className={`${td} text-xs`}>{s.usedBy.length ? s.usedBy.join(", ") : <span className="text-amber-900">nothing references it</span>}</td>
              <SecretActions cluster={cluster} namespace={namespace} secret={s} canPlan={canPlan} canApply={canApply} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What a person may do with one secret: verify, attach, rotate its key (or treat it as leaked), delete. */
function SecretActions({ cluster, namespace, secret: s, canPlan, canApply }: { cluster: string; namespace: string; secret: PullSecretView; canPlan: boolean; canApply: boolean }) {
  const attach = (name: string) => `/clusters/${encodeURIComponent(cluster)}/workflows/attach?${new URLSearchParams({ namespaces: namespace, secrets: name }).toString()}`;
  return (
    <td className={`${td} space-y-2`}>
      {canPlan ? <VerifyButton cluster={cluster} namespace={namespace} secret={s.name} /> : null}
      {canPlan ? (
        <Link href={attach(s.name)} className="block text-xs text-sky-800 underline">
          Attach…
        </Link>
      ) : null}
      {canPlan && s.entries.some((e) => e.credentialKind === "iam-api-key") ? <Link href={rotateHref(cluster, namespace, s.name)} className="block text-xs text-sky-800 underline">Rotate key…</Link> : null}
      {canPlan
        ? apiKeyFingerprints(s).map((fingerprint) => (
            <Link key={fingerprint} href={leakedHref(cluster, fingerprint)} aria-label={`Key leaked? Rotate key ${fingerprint} and delete it at once`} className="block text-xs text-red-800 underline">
              Key leaked?
            </Link>
          ))
        : null}
      {canApply && s.deletable ? <DeleteSecretButton cluster={cluster} namespace={namespace} secret={s.name} usedBy={s.usedBy} /> : null}
      {!canPlan ? <span className="text-xs text-slate-500">view only</span> : null}
    </td>
  );
}
