"use client";

import { useState, useTransition } from "react";
import { previewClusterRegistrationAction } from "@/lib/actions/clusters/preview-cluster-registration";
import { registerClusterAction } from "@/lib/actions/clusters/register-cluster";
import { Field, FormError, inputClass, primaryButtonClass, secondaryButtonClass } from "@/components/forms/field";
import type { RegistrationPreview } from "@/lib/api/cluster-registration";
import { KubeconfigUpload, type Upload } from "./kubeconfig-upload";

const ACTION_LABEL: Record<string, string> = { create: "Create", reuse: "Reuse", refuse: "Refused" };

function PreviewTable({ preview }: { preview: RegistrationPreview }) {
  return (
    <div className="grid gap-2">
      <p className="text-sm">
        Server <code>{preview.server}</code>, context <code>{preview.context}</code>
      </p>
      <table className="text-sm">
        <caption className="text-left font-medium">What registering does</caption>
        <thead>
          <tr>
            <th scope="col" className="text-left">Step</th>
            <th scope="col" className="text-left">Object</th>
            <th scope="col" className="text-left">Detail</th>
          </tr>
        </thead>
        <tbody>
          {preview.steps.map((s) => (
            <tr key={s.object}>
              <td>{ACTION_LABEL[s.action] ?? s.action}</td>
              <td>{s.object}</td>
              <td>{s.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="text-sm">
        Rules: {preview.rules.map((r) => `${r.resources.map((res) => (r.apiGroups[0] ? `${r.apiGroups[0]}/${res}` : res)).join(", ")}: ${r.verbs.join(", ")}`).join("; ")}
      </p>
      {preview.refusals.map((r) => (
        <FormError key={r} message={r} />
      ))}
    </div>
  );
}

type Source = "upload" | "kubeconfig";

/** The context whose user creates the objects: an uploaded kubeconfig's, or one of the files Pullkeeper reads. */
function AdminContextChooser(props: {
  kubeconfigContexts: string[];
  from: Source;
  fileContext: string;
  onFrom: (from: Source) => void;
  onFileContext: (context: string) => void;
  onUpload: (upload: Upload | null) => void;
}) {
  return (
    <>
      {props.kubeconfigContexts.length > 0 ? (
        <fieldset className="text-sm">
          <legend className="font-medium">Admin context</legend>
          <label className="mr-4 inline-flex items-center gap-1">
            <input type="radio" name="register-from" checked={props.from === "upload"} onChange={() => props.onFrom("upload")} />
            Upload a kubeconfig
          </label>
          <label className="inline-flex items-center gap-1">
            <input type="radio" name="register-from" checked={props.from === "kubeconfig"} onChange={() => props.onFrom("kubeconfig")} />
            A context Pullkeeper reads (KUBECONFIG)
          </label>
        </fieldset>
      ) : null}
      {props.from === "upload" ? (
        <KubeconfigUpload idPrefix="register" onChange={props.onUpload} />
      ) : (
        <Field id="register-kubeconfig-context" label="KUBECONFIG context" hint="Its user must be allowed to create the service account, role, binding and Secret; a user that runs a program (exec) or reads files is refused.">
          <select id="register-kubeconfig-context" value={props.fileContext} onChange={(e) => props.onFileContext(e.target.value)} className={inputClass}>
            {props.kubeconfigContexts.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </Field>
      )}
    </>
  );
}

/**
 * "Register a cluster": upload a kubeconfig (or pick a context of the files Pullkeeper reads), choose the context
 * and the role, preview the objects, register.
 */
export function RegisterClusterForm({ kubeconfigContexts = [] }: { kubeconfigContexts?: string[] }) {
  const [from, setFrom] = useState<Source>("upload");
  const [upload, setUpload] = useState<Upload | null>(null);
  const [fileContext, setFileContext] = useState(kubeconfigContexts[0] ?? "");
  const [name, setName] = useState("");
  const [access, setAccess] = useState<"full" | "read-only">("full");
  const [preview, setPreview] = useState<RegistrationPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const input = from === "upload" ? (upload ? { ...upload, name, access } : null) : fileContext ? { kubeconfigContext: fileContext, name, access } : null;

  const runPreview = () =>
    startTransition(async () => {
      if (!input) return;
      setDone(null);
      const result = await previewClusterRegistrationAction(input);
      setPreview(result.ok ? result.data : null);
      setError(result.ok ? null : result.error);
    });
  const runRegister = () =>
    startTransition(async () => {
      if (!input || !preview) return;
      const result = await registerClusterAction({ ...input, digest: preview.digest });
      setError(result.ok ? null : result.error);
      if (result.ok) {
        setDone(result.data.summary);
        setPreview(null);
      }
    });

  return (
    <section aria-labelledby="register-cluster-heading" className="grid gap-4">
      <h2 id="register-cluster-heading" className="text-lg font-semibold">
        Register a cluster
      </h2>
      <p className="text-sm">
        Pullkeeper creates a <code>pullkeeper</code> service account in <code>kube-system</code>, a ClusterRole with exactly the verbs it needs (or the read-only
        rules), the binding and a token Secret; it keeps only that token, the CA and the server.
      </p>
      <AdminContextChooser
        kubeconfigContexts={kubeconfigContexts}
        from={from}
        fileContext={fileContext}
        onFrom={(f) => (setFrom(f), setPreview(null))}
        onFileContext={(c) => (setFileContext(c), setPreview(null))}
        onUpload={(u) => (setUpload(u), setPreview(null))}
      />
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id="register-name" label="Cluster name in Pullkeeper">
          <input id="register-name" value={name} onChange={(e) => (setName(e.target.value), setPreview(null))} required maxLength={63} className={inputClass} placeholder="prod-eu" />
        </Field>
        <fieldset className="text-sm">
          <legend className="font-medium">Role</legend>
          {(["full", "read-only"] as const).map((value) => (
            <label key={value} className="mr-4 inline-flex items-center gap-1">
              <input type="radio" name="register-access" value={value} checked={access === value} onChange={() => (setAccess(value), setPreview(null))} />
              {value === "full" ? "Full (repairs)" : "Read-only (reports)"}
            </label>
          ))}
        </fieldset>
      </div>
      <FormError message={error} />
      <div className="flex gap-2">
        <button type="button" onClick={runPreview} disabled={!input || !name || pending} className={secondaryButtonClass}>
          Preview
        </button>
        <button type="button" onClick={runRegister} disabled={!preview || preview.refusals.length > 0 || pending} className={primaryButtonClass}>
          {pending ? "Working…" : "Register"}
        </button>
      </div>
      {done ? <p role="status">{done}</p> : null}
      {preview ? <PreviewTable preview={preview} /> : null}
    </section>
  );
}
