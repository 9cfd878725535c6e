"use client";

import { useState } from "react";
import { ActionForm } from "@/components/auth/action-form";
import { secondaryButtonClass } from "@/components/forms/field";
import { removeCloudAccountAction } from "@/lib/actions/clusters/accounts/remove-account";

/** "Remove account…": first lists the clusters and join rules that go with it, then removes on confirmation. */
export function RemoveAccount({ accountId, displayName, clusters, joinRules }: { accountId: string; displayName: string; clusters: string[]; joinRules: string[] }) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button type="button" onClick={() => setConfirming(true)} className={`${secondaryButtonClass} text-red-800`}>
        Remove account…
      </button>
    );
  }
  return (
    <section aria-label={`Confirm removing ${displayName}`} className="grid gap-2 rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-950">
      <p>
        Removing <strong>{displayName}</strong> forgets its API key and disconnects {clusters.length === 0 ? "no cluster" : `these ${clusters.length} cluster(s)`}
        {joinRules.length ? `, and deletes ${joinRules.length} join rule(s)` : ""}. Nothing in the clusters or in IBM Cloud is changed.
      </p>
      {clusters.length ? (
        <ul aria-label="Clusters removed with the account" className="list-inside list-disc">
          {clusters.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      ) : null}
      {joinRules.length ? (
        <ul aria-label="Join rules removed with the account" className="list-inside list-disc">
          {joinRules.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}
      <ActionForm action={removeCloudAccountAction} label={`Remove ${displayName}`} className="flex flex-wrap gap-2">
        {({ pending }) => (
          <>
            <input type="hidden" name="accountId" value={accountId} />
            <input type="hidden" name="confirm" value="yes" />
            <button type="submit" disabled={pending} className="rounded bg-red-800 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-700 disabled:opacity-60">
              {pending ? "Removing…" : `Remove ${displayName} and its ${clusters.length} cluster(s)`}
            </button>
            <button type="button" onClick={() => setConfirming(false)} className={secondaryButtonClass}>
              Cancel
            </button>
          </>
        )}
      </ActionForm>
    </section>
  );
}
