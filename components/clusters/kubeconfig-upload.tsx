"use client";

import { useState } from "react";
import { listKubeconfigContextsAction } from "@/lib/actions/clusters/list-kubeconfig-contexts";
import { Field, FormError, inputClass } from "@/components/forms/field";

export interface Upload {
  kubeconfig: string;
  context: string;
}

/**
 * A kubeconfig file chosen by the admin and one of its contexts. The file's text stays in this component's state
 * and goes to the server only with the action that uses it; it is never stored.
 */
export function KubeconfigUpload({ idPrefix, onChange }: { idPrefix: string; onChange: (upload: Upload | null) => void }) {
  const [contexts, setContexts] = useState<string[]>([]);
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);

  async function chosen(file: File | undefined) {
    setContexts([]);
    setError(null);
    onChange(null);
    if (!file) return;
    const kubeconfig = await file.text();
    const result = await listKubeconfigContextsAction({ kubeconfig });
    if (!result.ok) return setError(result.error);
    setText(kubeconfig);
    setContexts(result.data.names);
    onChange({ kubeconfig, context: result.data.current ?? result.data.names[0]! });
  }

  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <Field id={`${idPrefix}-file`} label="Kubeconfig file" hint="Read once for this task and never stored. A user that runs a program (exec) or reads files is refused.">
        <input id={`${idPrefix}-file`} type="file" accept=".yaml,.yml,.conf,.config,text/yaml,text/plain,*" onChange={(e) => void chosen(e.target.files?.[0])} className={inputClass} />
      </Field>
      <Field id={`${idPrefix}-context`} label="Context">
        <select id={`${idPrefix}-context`} disabled={contexts.length === 0} onChange={(e) => onChange({ kubeconfig: text, context: e.target.value })} className={inputClass}>
          {contexts.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </Field>
      {error ? (
        <div className="sm:col-span-2">
          <FormError message={error} />
        </div>
      ) : null}
    </div>
  );
}
