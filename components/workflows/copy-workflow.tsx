"use client";

import { useState } from "react";
import { Checkbox, CheckboxGroup, splitList } from "./fields";
import { Field, inputClass, invalidProps } from "@/components/forms/field";
import type { WorkflowInput } from "@/lib/workflows/catalog";
import { useWorkflowRunner } from "./use-workflow-runner";
import { WorkflowFrame } from "./workflow-frame";

export interface CopyWorkflowProps {
  cluster: string;
  /** Pull secrets by namespace, for the source pickers (namespaces holding pull secrets). */
  sourceSecrets: Record<string, string[]>;
  initial: { namespaces: string[]; selector: string; uncovered: boolean; secrets: string[] };
  canApply: boolean;
}

type TargetMode = "list" | "selector" | "uncovered";
type Naming = "seed" | "keep";

/** The seed's "copy an existing image pull secret" for many namespaces, previewed first. */
export function CopyWorkflow({ cluster, sourceSecrets, initial, canApply }: CopyWorkflowProps) {
  const runner = useWorkflowRunner("copy_pull_secrets");
  const sources = Object.keys(sourceSecrets).sort((a, b) => (a === "default" ? -1 : b === "default" ? 1 : a.localeCompare(b)));
  const [sourceNamespace, setSourceNamespace] = useState(sources.includes("default") ? "default" : (sources[0] ?? "default"));
  const [secrets, setSecrets] = useState<string[]>(initial.secrets.length ? initial.secrets : (sourceSecrets[sourceNamespace] ?? []).filter((name) => !name.startsWith("bluemix-")));
  const [mode, setMode] = useState<TargetMode>(initial.uncovered ? "uncovered" : initial.selector ? "selector" : "list");
  const [namespaces, setNamespaces] = useState(initial.namespaces.join("\n"));
  const [selector, setSelector] = useState(initial.selector);
  const [naming, setNaming] = useState<Naming>("seed");
  const [attach, setAttach] = useState(true);
  const [serviceAccount, setServiceAccount] = useState("default");
  const [restartPods, setRestartPods] = useState(false);
  const { edit } = runner;
  const errors = runner.fieldErrors;

  const input = (): WorkflowInput<"copy_pull_secrets"> => ({
    cluster,
    sourceNamespace,
    secrets,
    targets: mode === "list" ? { mode, namespaces: splitList(namespaces) } : mode === "selector" ? { mode, labelSelector: selector } : { mode },
    naming,
    attach,
    serviceAccount,
    restartPods,
  });

  return (
    <WorkflowFrame runner={runner} onPreview={() => runner.preview(input())} canApply={canApply} applyLabel="Copy and attach">
      <Field label="Source namespace" id="sourceNamespace" errors={errors.sourceNamespace}>
        <select
          id="sourceNamespace"
          className={inputClass}
          value={sourceNamespace}
          onChange={(event) => {
            edit(setSourceNamespace)(event.target.value);
            setSecrets([]);
          }}
        >
          {sources.map((ns) => (
            <option key={ns} value={ns}>
              {ns}
            </option>
          ))}
        </select>
      </Field>
      <CheckboxGroup
        legend="Pull secrets to copy"
        name="secrets"
        options={sourceSecrets[sourceNamespace] ?? []}
        chosen={secrets}
        onChange={edit(setSecrets)}
        errors={errors}
        empty="No pull secret in this namespace."
      />
      <TargetNamespaces
        mode={mode}
        namespaces={namespaces}
        selector={selector}
        errors={errors}
        onMode={edit(setMode)}
        onNamespaces={edit(setNamespaces)}
        onSelector={edit(setSelector)}
      />
      <CopyNaming naming={naming} onChange={edit(setNaming)} />
      <Checkbox name="attach" label="Attach the copies to a service account in each namespace" checked={attach} onChange={edit(setAttach)} />
      {attach ? (
        <>
          <Field label="Service account" id="serviceAccount" errors={errors.serviceAccount}>
            <input id="serviceAccount" className={inputClass} value={serviceAccount} onChange={(event) => edit(setServiceAccount)(event.target.value)} {...invalidProps("serviceAccount", errors.serviceAccount)} />
          </Field>
          <Checkbox name="restartPods" label="Restart Deployments, StatefulSets and DaemonSets whose pods would not pick the secrets up" checked={restartPods} onChange={edit(setRestartPods)} />
        </>
      ) : null}
    </WorkflowFrame>
  );
}

interface TargetNamespacesProps {
  mode: TargetMode;
  namespaces: string;
  selector: string;
  errors: Record<string, string[]>;
  onMode: (mode: TargetMode) => void;
  onNamespaces: (text: string) => void;
  onSelector: (selector: string) => void;
}

/** Which namespaces receive the copies: a list, a label selector, or every uncovered one. */
function TargetNamespaces({ mode, namespaces, selector, errors, onMode, onNamespaces, onSelector }: TargetNamespacesProps) {
  return (
    <>
      <fieldset className="text-sm">
        <legend className="font-medium">Target namespaces</legend>
        <div className="mt-1 flex flex-wrap gap-3">
          {(
            [
              ["list", "These namespaces"],
              ["selector", "Label selector"],
              ["uncovered", "Every namespace without coverage"],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="flex items-center gap-1.5">
              <input type="radio" name="targetMode" value={value} checked={mode === value} onChange={() => onMode(value)} />
              {label}
            </label>
          ))}
        </div>
      </fieldset>
      {mode === "list" ? (
        <Field label="Namespaces (one per line or comma-separated)" id="targets.namespaces" errors={errors["targets.namespaces"]}>
          <textarea id="targets.namespaces" rows={5} className={`${inputClass} font-mono`} value={namespaces} onChange={(event) => onNamespaces(event.target.value)} {...invalidProps("targets.namespaces", errors["targets.namespaces"])} />
        </Field>
      ) : mode === "selector" ? (
        <Field label="Label selector" id="targets.labelSelector" errors={errors["targets.labelSelector"]} hint="kubectl syntax, e.g. team=payments,env in (prod,staging)">
          <input id="targets.labelSelector" className={`${inputClass} font-mono`} value={selector} onChange={(event) => onSelector(event.target.value)} {...invalidProps("targets.labelSelector", errors["targets.labelSelector"])} />
        </Field>
      ) : (
        <p className="text-xs text-slate-600">Namespaces where any registry of the chosen secrets is not covered by their default service account.</p>
      )}
    </>
  );
}

function CopyNaming({ naming, onChange }: { naming: Naming; onChange: (naming: Naming) => void }) {
  return (
    <fieldset className="text-sm">
      <legend className="font-medium">Names of the copies</legend>
      <label className="mt-1 flex items-center gap-1.5">
        <input type="radio" name="naming" checked={naming === "seed"} onChange={() => onChange("seed")} />
        As the IBM procedure: <span className="font-mono text-xs">default-us-icr-io → &lt;ns&gt;-us-icr-io</span>
      </label>
      <label className="flex items-center gap-1.5">
        <input type="radio" name="naming" checked={naming === "keep"} onChange={() => onChange("keep")} />
        Keep the source names
      </label>
    </fieldset>
  );
}
