"use client";

import { useState, useTransition, type FormEvent } from "react";
import { ActionForm } from "@/components/auth/action-form";
import { Field, FormError, inputClass, invalidProps, secondaryButtonClass } from "@/components/forms/field";
import { removeClusterAction } from "@/lib/actions/clusters/remove-cluster";
import { setClusterDisabledAction } from "@/lib/actions/clusters/set-cluster-disabled";
import { testClusterConnectionAction } from "@/lib/actions/clusters/test-cluster-connection";
import { updateClusterDetailsAction } from "@/lib/actions/clusters/update-cluster-details";
import type { ActionResult } from "@/lib/actions/safe-action";
import type { ConnectionTest } from "@/lib/clusters/admin-view";

/** What a row's controls need of a cluster: its name, version for compare-and-set, and what the admin may edit. */
export interface ClusterRowData {
  name: string;
  displayName: string;
  labelsText: string;
  disabled: boolean;
  version: number;
}

const idOf = (name: string) => name.replace(/[^A-Za-z0-9_-]/g, "-");

export function TestConnectionControl({ name }: { name: string }) {
  const [result, setResult] = useState<ConnectionTest | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const run = () =>
    startTransition(async () => {
      const outcome = await testClusterConnectionAction({ cluster: name });
      setResult(outcome.ok ? outcome.data : null);
      setError(outcome.ok ? null : outcome.error);
    });
  const ok = result?.status === "reachable";
  return (
    <div className="space-y-1">
      <button type="button" onClick={run} disabled={pending} className={secondaryButtonClass} aria-label={`Test connection to ${name}`}>
        {pending ? "Testing…" : "Test connection"}
      </button>
      <FormError message={error} />
      {result ? (
        <p role="status" className={`text-xs ${ok ? "text-emerald-800" : "text-red-800"}`}>
          {ok ? "Reachable" : `Failed (${result.status.replace("_", " ")})`}
          {result.latencyMs !== null ? ` in ${result.latencyMs} ms` : ""}
          {result.serverVersion ? ` · Kubernetes ${result.serverVersion}` : ""}
          {result.identity ? ` · as ${result.identity}` : ""}
          {ok ? null : `: ${result.message}`}
        </p>
      ) : null}
    </div>
  );
}

/**
 * Display name and labels. Controlled (not a form action) so that what the admin typed stays in place when it is
 * refused: a bad label or someone else's newer change is fixed in the text, not retyped.
 */
export function EditClusterControl({ cluster }: { cluster: ClusterRowData }) {
  const id = idOf(cluster.name);
  const [displayName, setDisplayName] = useState(cluster.displayName);
  const [labels, setLabels] = useState(cluster.labelsText);
  const [state, setState] = useState<ActionResult<unknown> | null>(null);
  const [pending, startTransition] = useTransition();
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    startTransition(async () => setState(await updateClusterDetailsAction({ cluster: cluster.name, displayName, labels, expectedVersion: cluster.version })));
  };
  return (
    <form onSubmit={submit} aria-label={`Display name and labels of ${cluster.name}`} className="space-y-2">
      {state && !state.ok ? <FormError message={state.error} /> : null}
      {state?.ok ? (
        <p role="status" className="text-xs text-emerald-700">
          Saved.
        </p>
      ) : null}
      <Field id={`display-${id}`} label={`Display name of ${cluster.name}`} errors={fieldErrors?.displayName}>
        <input id={`display-${id}`} value={displayName} onChange={(e) => setDisplayName(e.target.value)} maxLength={100} className={inputClass} {...invalidProps(`display-${id}`, fieldErrors?.displayName)} />
      </Field>
      <Field id={`labels-${id}`} label={`Labels of ${cluster.name}`} hint="key=value, one per line or comma-separated (e.g. env=prod)." errors={fieldErrors?.labels}>
        <textarea id={`labels-${id}`} value={labels} onChange={(e) => setLabels(e.target.value)} rows={2} className={`${inputClass} font-mono`} {...invalidProps(`labels-${id}`, fieldErrors?.labels)} />
      </Field>
      <button type="submit" disabled={pending} className={secondaryButtonClass}>
        {pending ? "Saving…" : "Save name and labels"}
      </button>
    </form>
  );
}

export function DisableClusterControl({ cluster }: { cluster: ClusterRowData }) {
  const verb = cluster.disabled ? "Enable" : "Disable";
  return (
    <ActionForm action={setClusterDisabledAction} label={`${verb} ${cluster.name}`}>
      {({ pending }) => (
        <>
          <input type="hidden" name="cluster" value={cluster.name} />
          <input type="hidden" name="expectedVersion" value={cluster.version} />
          <input type="hidden" name="disabled" value={cluster.disabled ? "false" : "true"} />
          <button type="submit" disabled={pending} className={secondaryButtonClass}>
            {verb}
          </button>
        </>
      )}
    </ActionForm>
  );
}

/** "Remove" for an IBM Cloud cluster: Pullkeeper forgets it; nothing in the cluster is touched (its credential is the account's). */
export function RemoveIbmClusterControl({ cluster }: { cluster: ClusterRowData }) {
  return (
    <ActionForm action={removeClusterAction} label={`Remove ${cluster.name}`}>
      {({ pending }) => (
        <>
          <input type="hidden" name="cluster" value={cluster.name} />
          <input type="hidden" name="expectedVersion" value={cluster.version} />
          <button
            type="submit"
            disabled={pending}
            onClick={(event) => {
              if (!window.confirm(`Remove the IBM Cloud cluster ${cluster.name} from Pullkeeper? Nothing in the cluster is touched.`)) event.preventDefault();
            }}
            className={`${secondaryButtonClass} text-red-800`}
          >
            Remove
          </button>
        </>
      )}
    </ActionForm>
  );
}
