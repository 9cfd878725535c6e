"use client";

import { useState } from "react";
import { Field, inputClass, invalidProps } from "@/components/forms/field";
import { useWorkflowRunner } from "./use-workflow-runner";
import { WorkflowFrame } from "./workflow-frame";

type From = "secret" | "service_id" | "fingerprint";

const GRACE_CHOICES = [
  { seconds: 86_400, label: "24 hours (default: running pods can be rescheduled)" },
  { seconds: 3_600, label: "1 hour" },
  { seconds: 0, label: "None: delete the old key at once (a leaked key)" },
];

/**
 * Rotates a service ID's API key across the fleet. Starts from a secret (the
 * namespace page's "Rotate key"), a service ID, or a leaked key's fingerprint
 * (grace 0 by default then); the preview lists every secret in every cluster.
 */
export function RotateWorkflow({ cluster, initial, canApply }: { cluster: string; initial: { namespace: string; name: string; fingerprint: string }; canApply: boolean }) {
  const runner = useWorkflowRunner("rotate_api_key");
  const [from, setFrom] = useState<From>(initial.fingerprint ? "fingerprint" : initial.name ? "secret" : "service_id");
  const [form, setForm] = useState({ namespace: initial.namespace || "default", name: initial.name, serviceIamId: "", fingerprint: initial.fingerprint });
  const [grace, setGrace] = useState(initial.fingerprint ? 0 : 86_400);
  const errors = runner.fieldErrors;
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => {
    setForm({ ...form, [key]: event.target.value });
    runner.inputChanged();
  };
  const text = (key: keyof typeof form, label: string, hint?: string) => (
    <Field label={label} id={key} errors={errors[key]} hint={hint}>
      <input id={key} className={inputClass} value={form[key]} onChange={set(key)} autoComplete="off" {...invalidProps(key, errors[key])} />
    </Field>
  );
  const start =
    from === "secret" ? { namespace: form.namespace, name: form.name } : from === "service_id" ? { serviceIamId: form.serviceIamId } : { fingerprint: form.fingerprint };
  return (
    <WorkflowFrame runner={runner} canApply={canApply} applyLabel="Rotate key" onPreview={() => runner.preview({ cluster, from, ...start, graceSeconds: grace })}>
      <Field label="Start from" id="from" errors={errors.from}>
        <select
          id="from"
          className={inputClass}
          value={from}
          onChange={(event) => {
            const next = event.target.value as From;
            // A leaked key is deleted at once (IBM's runbook); any other start keeps the default grace period.
            setGrace(next === "fingerprint" ? 0 : 86_400);
            runner.edit(setFrom)(next);
          }}
        >
          <option value="secret">The key in a pull secret of this cluster</option>
          <option value="service_id">A service ID</option>
          <option value="fingerprint">A leaked key, by its fingerprint</option>
        </select>
      </Field>
      {from === "secret" && (
        <>
          {text("namespace", "Namespace")}
          {text("name", "Secret name")}
        </>
      )}
      {from === "service_id" && text("serviceIamId", "Service ID (IAM id)", "iam-ServiceId-…, as the namespace page shows a key's owner")}
      {from === "fingerprint" && text("fingerprint", "Fingerprint of the leaked key", "12 hex digits, as the namespace page shows each credential")}
      <Field label="Delete the old key" id="graceSeconds" errors={errors.graceSeconds} hint="The old key is locked as soon as every secret holds the new one, verified; it is deleted after this long. Until then, undo (from the audit log) writes the old key back everywhere; with no grace period (a leaked key) the old key is not kept and there is no undo.">
        <select id="graceSeconds" className={inputClass} value={grace} onChange={(event) => runner.edit(setGrace)(Number(event.target.value))}>
          {GRACE_CHOICES.map((choice) => (
            <option key={choice.seconds} value={choice.seconds}>
              {choice.label}
            </option>
          ))}
        </select>
      </Field>
    </WorkflowFrame>
  );
}
