"use client";

import { useState, useTransition } from "react";
import { previewClusterRemovalAction, removeRegisteredClusterAction } from "@/lib/actions/clusters/remove-registered-cluster";
import { FormError, primaryButtonClass, secondaryButtonClass } from "@/components/forms/field";
import { KubeconfigUpload, type Upload } from "./kubeconfig-upload";

type Preview = { server: string; steps: { action: string; object: string; detail: string }[]; refusals: string[] };

/** "Remove" for a registered cluster: forgets its token and offers to delete what its registration made (with a context that may). */
export function RemoveRegisteredCluster({ name }: { name: string }) {
  const [deleteObjects, setDeleteObjects] = useState(true);
  const [upload, setUpload] = useState<Upload | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const input = { name, deleteObjects, ...(deleteObjects && upload ? upload : {}) };

  const runPreview = () =>
    startTransition(async () => {
      const result = await previewClusterRemovalAction(input);
      setPreview(result.ok ? result.data : null);
      setError(result.ok ? null : result.error);
    });
  const runRemove = () =>
    startTransition(async () => {
      const result = await removeRegisteredClusterAction({ ...input, confirm: true });
      setError(result.ok ? null : result.error);
      if (result.ok) setDone(result.data.summary);
    });

  if (done) return <p role="status">{done}</p>;
  return (
    <section aria-label={`Remove cluster ${name}`} className="grid gap-3">
      <label className="inline-flex items-center gap-2 text-sm">
        <input type="checkbox" checked={deleteObjects} onChange={(e) => (setDeleteObjects(e.target.checked), setPreview(null))} />
        Also delete the service account, role, binding and token Secret it created (needs a kubeconfig that may delete them)
      </label>
      {deleteObjects ? <KubeconfigUpload idPrefix={`remove-${name}`} onChange={(u) => (setUpload(u), setPreview(null))} /> : null}
      <FormError message={error} />
      <div className="flex gap-2">
        <button type="button" onClick={runPreview} disabled={pending || (deleteObjects && !upload)} className={secondaryButtonClass}>
          Preview removal
        </button>
        <button type="button" onClick={runRemove} disabled={pending || !preview || preview.refusals.length > 0} className={primaryButtonClass}>
          {pending ? "Working…" : `Remove ${name}`}
        </button>
      </div>
      {preview ? (
        <ul className="text-sm">
          {preview.steps.map((s) => (
            <li key={s.object}>{s.detail}</li>
          ))}
          {preview.steps.length === 0 && preview.refusals.length === 0 ? <li>Pullkeeper forgets the cluster&apos;s token; nothing in the cluster is touched.</li> : null}
          {preview.refusals.map((r) => (
            <li key={r}>
              <FormError message={r} />
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
