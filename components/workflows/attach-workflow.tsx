"use client";

import { useState } from "react";
import { Checkbox, splitList } from "./fields";
import { Field, inputClass, invalidProps } from "@/components/forms/field";
import { useWorkflowRunner } from "./use-workflow-runner";
import { WorkflowFrame } from "./workflow-frame";

/** The seed's "store the image pull secret in the service account", for one or many namespaces. */
export function AttachWorkflow({ cluster, initial, canApply }: { cluster: string; initial: { namespaces: string[]; secrets: string[]; serviceAccount: string }; canApply: boolean }) {
  const runner = useWorkflowRunner("attach_pull_secrets");
  const [namespaces, setNamespaces] = useState(initial.namespaces.join("\n"));
  const [secrets, setSecrets] = useState(initial.secrets.join(", "));
  const [serviceAccount, setServiceAccount] = useState(initial.serviceAccount);
  const [restartPods, setRestartPods] = useState(false);
  const { edit } = runner;
  const errors = runner.fieldErrors;
  return (
    <WorkflowFrame
      runner={runner}
      canApply={canApply}
      applyLabel="Attach"
      onPreview={() => runner.preview({ cluster, namespaces: splitList(namespaces), secrets: splitList(secrets), serviceAccount, restartPods })}
    >
      <Field label="Namespaces (one per line or comma-separated)" id="namespaces" errors={errors.namespaces}>
        <textarea id="namespaces" rows={5} className={`${inputClass} font-mono`} value={namespaces} onChange={(event) => edit(setNamespaces)(event.target.value)} {...invalidProps("namespaces", errors.namespaces)} />
      </Field>
      <Field label="Pull secrets to attach" id="secrets" errors={errors.secrets} hint="Names as they exist in each namespace, comma-separated.">
        <input id="secrets" className={`${inputClass} font-mono`} value={secrets} onChange={(event) => edit(setSecrets)(event.target.value)} {...invalidProps("secrets", errors.secrets)} />
      </Field>
      <Field label="Service account" id="serviceAccount" errors={errors.serviceAccount}>
        <input id="serviceAccount" className={inputClass} value={serviceAccount} onChange={(event) => edit(setServiceAccount)(event.target.value)} {...invalidProps("serviceAccount", errors.serviceAccount)} />
      </Field>
      <Checkbox name="restartPods" label="Also restart Deployments, StatefulSets and DaemonSets whose pods would keep their old pull secrets" checked={restartPods} onChange={edit(setRestartPods)} />
    </WorkflowFrame>
  );
}
