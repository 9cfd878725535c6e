"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { verifyPullSecretAction } from "@/lib/actions/secrets/verify-pull-secret";

const RESULT_WORDS = { valid: "valid", rejected: "rejected", unreachable: "registry unreachable", tls_error: "TLS failure", skipped: "skipped" } as const;

/** Verifies a secret's credentials against each registry (audited) and shows each registry's verdict as it returns. */
export function VerifyButton({ cluster, namespace, secret }: { cluster: string; namespace: string; secret: string }) {
  const router = useRouter();
  const [, startTransition] = useTransition();
  const mutation = useMutation({
    mutationFn: async () => {
      const result = await verifyPullSecretAction({ cluster, namespace, secret });
      if (!result.ok) throw new Error(result.error);
      return result.data;
    },
    onSuccess: () => startTransition(() => router.refresh()),
  });
  return (
    <div className="space-y-1">
      <button
        type="button"
        onClick={() => mutation.mutate()}
        disabled={mutation.isPending}
        aria-label={`Verify ${secret}`}
        className="rounded border border-slate-300 bg-white px-2 py-1 text-xs font-medium hover:bg-slate-100 disabled:opacity-60"
      >
        {mutation.isPending ? "Verifying…" : "Verify"}
      </button>
      <div aria-live="polite" className="text-xs">
        {mutation.isError ? <p className="text-red-800">{mutation.error.message}</p> : null}
        {mutation.data ? (
          <>
            <p className="font-medium">{mutation.data.summary}</p>
            <ul>
              {mutation.data.checks.map((c) => (
                <li key={`${c.registry}-${c.username}`} className={c.result === "valid" ? "text-emerald-800" : c.result === "skipped" ? "text-slate-600" : "text-red-800"}>
                  {c.registry}: {RESULT_WORDS[c.result]}
                  {c.result === "valid" ? "" : ` — ${c.detail}`}
                </li>
              ))}
            </ul>
            <a href={`/audit/${mutation.data.operationId}`} className="text-sky-800 underline">
              Audit record
            </a>
          </>
        ) : null}
      </div>
    </div>
  );
}
