"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { deletePullSecretAction } from "@/lib/actions/secrets/delete-pull-secret";

/** Deletes a Pullkeeper-made secret after a confirmation dialog that says who still references it. */
export function DeleteSecretButton({ cluster, namespace, secret, usedBy }: { cluster: string; namespace: string; secret: string; usedBy: string[] }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const titleId = `delete-${secret}-title`;

  const confirm = () =>
    startTransition(async () => {
      setError(null);
      const result = await deletePullSecretAction({ cluster, namespace, secret });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      dialog.current?.close();
      router.refresh();
    });

  return (
    <>
      <button
        type="button"
        onClick={() => dialog.current?.showModal()}
        aria-label={`Delete ${secret}`}
        className="rounded border border-red-300 bg-white px-2 py-1 text-xs font-medium text-red-800 hover:bg-red-50"
      >
        Delete
      </button>
      <dialog ref={dialog} aria-labelledby={titleId} className="m-auto w-[28rem] max-w-[calc(100vw-2rem)] rounded-md border border-slate-300 p-5 text-sm shadow-xl backdrop:bg-slate-900/40">
        <h2 id={titleId} className="text-base font-semibold">
          Delete pull secret {secret}?
        </h2>
        <p className="mt-2 text-slate-700">
          Pullkeeper created this secret in <span className="font-mono">{namespace}</span> on cluster <span className="font-mono">{cluster}</span>. Deleting it is recorded in the audit log and cannot be undone from here.
        </p>
        {usedBy.length ? (
          <p className="mt-2 rounded border border-amber-300 bg-amber-50 p-2 text-amber-950">
            Still referenced by {usedBy.join(", ")}. Those references will dangle, and new pods relying on them will fail to pull.
          </p>
        ) : null}
        {error ? (
          <p role="alert" className="mt-2 rounded border border-red-200 bg-red-50 p-2 text-red-900">
            {error}
          </p>
        ) : null}
        <div className="mt-4 flex justify-end gap-2">
          <button type="button" onClick={() => dialog.current?.close()} className="rounded border border-slate-300 px-3 py-1.5 hover:bg-slate-50" autoFocus>
            Cancel
          </button>
          <button type="button" onClick={confirm} disabled={pending} className="rounded bg-red-700 px-3 py-1.5 font-medium text-white hover:bg-red-800 disabled:opacity-60">
            {pending ? "Deleting…" : "Delete secret"}
          </button>
        </div>
      </dialog>
    </>
  );
}
