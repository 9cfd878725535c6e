"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { FormError, primaryButtonClass, secondaryButtonClass } from "@/components/forms/field";
import { createRuleAction } from "@/lib/actions/rules/create-rule";
import { previewRuleBlastRadiusAction } from "@/lib/actions/rules/preview-rule-blast-radius";
import { updateRuleAction } from "@/lib/actions/rules/update-rule";
import type { RuleFormFields as RuleFormInput, RuleFormValues } from "@/lib/actions/rules/rule-form";
import type { ActionResult } from "@/lib/actions/safe-action";
import type { BlastRadius } from "@/lib/rules/blast-radius";
import type { ClusterLabelling } from "@/lib/clusters/labels";
import { BlastRadiusView } from "./blast-radius-view";
import { RuleFormFields } from "./rule-form-fields";

const TEXT_FIELDS = ["name", "description", "mode", "clusterMode", "clusterSelector", "namespaceMode", "labelSelector", "include", "exclude", "registries", "sourceNamespace", "sourceSecrets", "naming", "serviceAccountMode", "serviceAccounts"] as const;

/** The form's values as the actions take them. */
function readForm(form: HTMLFormElement): Record<string, string | string[] | boolean> {
  const data = new FormData(form);
  const values: Record<string, string | string[] | boolean> = {};
  for (const name of TEXT_FIELDS) values[name] = String(data.get(name) ?? "");
  values.clusters = data.getAll("clusters").map(String);
  values.includeSystem = data.get("includeSystem") === "on";
  values.restartWorkloads = data.get("restartWorkloads") === "on";
  return values;
}

/**
 * Creates or edits a rule. Saving is offered only once the blast radius of the
 * form's current values has been previewed: any change after the preview asks
 * for a new one, so what is saved is what was reviewed (the server checks it too: the preview's token
 * vouches for exactly these values).
 */
export function RuleForm({ values, clusters, rule }: { values: RuleFormValues; clusters: ClusterLabelling[]; rule?: { id: string; version: number } }) {
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const [current, setCurrent] = useState("");
  const [preview, setPreview] = useState<{ key: string; radius: BlastRadius; token: string } | null>(null);
  const [failure, setFailure] = useState<Extract<ActionResult<unknown>, { ok: false }> | null>(null);
  const [pending, startTransition] = useTransition();
  const snapshot = () => (form.current ? readForm(form.current) : {});
  const previewed = preview !== null && preview.key === current;

  useEffect(() => {
    if (form.current) setCurrent(JSON.stringify(readForm(form.current)));
  }, []);

  const runPreview = () => {
    const input = snapshot();
    const key = JSON.stringify(input);
    startTransition(async () => {
      const result = await previewRuleBlastRadiusAction({ ...(input as RuleFormInput), ...(rule ? { ruleId: rule.id } : {}) });
      setCurrent(key);
      if (result.ok) {
        setFailure(null);
        setPreview({ key, radius: result.data.radius, token: result.data.previewToken });
      } else {
        setFailure(result);
        setPreview(null);
      }
    });
  };

  const save = () => {
    const input = snapshot();
    if (!preview || JSON.stringify(input) !== preview.key) return;
    const previewToken = preview.token;
    startTransition(async () => {
      const result = rule
        ? await updateRuleAction({ ...(input as RuleFormInput), ruleId: rule.id, expectedVersion: rule.version, previewToken })
        : await createRuleAction({ ...(input as RuleFormInput), previewToken });
      if (!result.ok) {
        setFailure(result);
        return;
      }
      router.push(`/rules/${result.data.id}`);
      router.refresh();
    });
  };

  return (
    <form
      ref={form}
      aria-label={rule ? "Edit the keeping rule" : "New keeping rule"}
      className="space-y-6"
      onChange={() => form.current && setCurrent(JSON.stringify(readForm(form.current)))}
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      {failure ? <FormError message={failure.error} /> : null}
      <RuleFormFields values={values} clusters={clusters} errors={failure?.fieldErrors} editing={Boolean(rule)} />
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" onClick={runPreview} disabled={pending} className={secondaryButtonClass}>
          {pending ? "Working…" : "Preview blast radius"}
        </button>
        <button type="submit" disabled={pending || !previewed} className={primaryButtonClass}>
          {rule ? "Save changes" : "Create rule"}
        </button>
        {!previewed ? <p className="text-xs text-slate-600">Preview the blast radius of these values to save them.</p> : null}
      </div>
      {preview && previewed ? <BlastRadiusView radius={preview.radius} /> : null}
    </form>
  );
}
