"use client";

import { useState, useTransition } from "react";
import { FormError, secondaryButtonClass } from "@/components/forms/field";
import { checkCloudClusterAction, syncCloudClusterAccessAction } from "@/lib/actions/clusters/accounts/cluster-access";

type Check = { status: string; message: string; serverVersion: string | null; identity: string | null; advice: string | null; checkedAt: string };

/** "Test connection" (asks the cluster now) and "Sync access" (IBM writes the key's role into its RBAC again) for one added cluster. */
export function ClusterAccessButtons({ accountId, name }: { accountId: string; name: string }) {
  const [check, setCheck] = useState<Check | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const run = (act: typeof checkCloudClusterAction) =>
    startTransition(async () => {
      const result = await act({ accountId, name });
      setCheck(result.ok ? result.data : null);
      setError(result.ok ? null : result.error);
    });
  return (
    <div className="grid gap-1">
      <div className="flex flex-wrap gap-2">
        <button type="button" disabled={pending} onClick={() => run(checkCloudClusterAction)} className={secondaryButtonClass} aria-label={`Test the connection to ${name}`}>
          Test connection
        </button>
        <button type="button" disabled={pending} onClick={() => run(syncCloudClusterAccessAction)} className={secondaryButtonClass} aria-label={`Sync the access of the key to ${name}`}>
          Sync access
        </button>
      </div>
      <FormError message={error} />
      {check ? (
        <p role="status" className={`text-xs ${check.status === "reachable" ? "text-emerald-800" : "text-red-800"}`}>
          {check.status === "reachable" ? `Answers as ${check.identity ?? "the account's key"} (Kubernetes ${check.serverVersion ?? "?"}).` : `${check.message} ${check.advice ?? ""}`}
        </p>
      ) : null}
    </div>
  );
}
