"use client";

import { useState } from "react";
import { Checkbox } from "./fields";
import { Field, inputClass, invalidProps } from "@/components/forms/field";
import { useWorkflowRunner } from "./use-workflow-runner";
import { WorkflowFrame } from "./workflow-frame";

/** The seed's "other private registries": a docker-registry secret, verified against the registry. */
export function PrivateRegistryWorkflow({ cluster, namespaces, initialNamespace, canApply }: { cluster: string; namespaces: string[]; initialNamespace: string; canApply: boolean }) {
  const runner = useWorkflowRunner("create_private_registry_secret");
  const [form, setForm] = useState({ namespace: initialNamespace || "default", secretName: "", server: "", username: "", password: "", email: "" });
  const [attach, setAttach] = useState(true);
  const [verify, setVerify] = useState(true);
  const errors = runner.fieldErrors;
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => {
    setForm({ ...form, [key]: event.target.value });
    runner.inputChanged();
  };
  const text = (key: keyof typeof form, label: string, extra: Record<string, unknown> = {}, hint?: string) => (
    <Field label={label} id={key} errors={errors[key]} hint={hint}>
      <input id={key} className={inputClass} value={form[key]} onChange={set(key)} {...invalidProps(key, errors[key])} {...extra} />
    </Field>
  );
  return (
    <WorkflowFrame
      runner={runner}
      canApply={canApply}
      applyLabel="Create secret"
      onPreview={() => runner.preview({ cluster, ...form, attach, verify, serviceAccount: "default" })}
    >
      {text("namespace", "Namespace", { list: "namespace-options" })}
      <datalist id="namespace-options">
        {namespaces.slice(0, 500).map((ns) => (
          <option key={ns} value={ns} />
        ))}
      </datalist>
      {text("secretName", "Secret name", {}, "e.g. example-registry")}
      {text("server", "Registry server", {}, "Host name only, e.g. registry.example.com")}
      {text("username", "Username", { autoComplete: "off" })}
      {text("password", "Password or token", { type: "password", autoComplete: "new-password" }, "Sent to the cluster only; never shown again, logged or stored by Pullkeeper.")}
      {text("email", "E-mail (optional)", { type: "email" })}
      <Checkbox name="verify" label="Verify the credential against the registry after writing" checked={verify} onChange={runner.edit(setVerify)} />
      <Checkbox name="attach" label="Attach to the namespace's default service account" checked={attach} onChange={runner.edit(setAttach)} />
    </WorkflowFrame>
  );
}
