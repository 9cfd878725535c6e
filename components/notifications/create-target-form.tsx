"use client";

import { useActionState } from "react";
import { createWebhookTargetAction } from "@/lib/actions/notifications/create-webhook-target";
import type { ActionResult } from "@/lib/actions/safe-action";
import { Field, FormError, invalidProps, inputClass, primaryButtonClass } from "@/components/forms/field";
import { EventCheckboxes } from "./event-checkboxes";
import { SecretReveal } from "./secret-reveal";

type Created = { id: string; name: string; secret: string };
type Typed = { name: string; url: string; format: string; events: string[]; enabled: boolean };

const FRESH: Typed = { name: "", url: "", format: "json", events: ["run.failed", "run.interrupted", "registry.credential_rejected"], enabled: true };

/**
 * React resets a form after its action, to the fields' default values: after a
 * refusal those are what the admin typed, so nothing has to be typed again.
 */
async function submit(_previous: { result: ActionResult<Created>; typed: Typed } | null, form: FormData) {
  const result = await createWebhookTargetAction(null, form);
  const text = (name: string) => String(form.get(name) ?? "");
  const typed = result.ok ? FRESH : { name: text("name"), url: text("url"), format: text("format"), events: form.getAll("events").map(String), enabled: form.get("enabled") === "on" };
  return { result, typed };
}

export function CreateTargetForm() {
  const [outcome, formAction, pending] = useActionState(submit, null);
  const state = outcome?.result ?? null;
  const typed = outcome?.typed ?? FRESH;
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={formAction} aria-label="Add a webhook target" className="grid gap-4 sm:grid-cols-2">
      {state && !state.ok ? (
        <div className="sm:col-span-2">
          <FormError message={state.error} />
        </div>
      ) : null}
      <Field id="target-name" label="Name" errors={fieldErrors?.name}>
        <input id="target-name" {...invalidProps("target-name", fieldErrors?.name)} name="name" defaultValue={typed.name} required maxLength={100} className={inputClass} placeholder="platform-alerts" />
      </Field>
      <Field id="target-format" label="Body" errors={fieldErrors?.format}>
        <select id="target-format" {...invalidProps("target-format", fieldErrors?.format)} name="format" defaultValue={typed.format} className={inputClass}>
          <option value="json">Generic JSON (signed)</option>
          <option value="slack">Slack incoming webhook</option>
        </select>
      </Field>
      <div className="sm:col-span-2">
        <Field id="target-url" label="URL" errors={fieldErrors?.url} hint="Loopback, private and metadata addresses are refused unless PULLKEEPER_WEBHOOK_ALLOWED_HOSTS names them. Redirects are not followed.">
          <input id="target-url" {...invalidProps("target-url", fieldErrors?.url)} name="url" defaultValue={typed.url} type="url" required autoComplete="off" className={inputClass} placeholder="https://hooks.example.com/pullkeeper" />
        </Field>
      </div>
      <div className="sm:col-span-2">
        <EventCheckboxes idPrefix="target" checked={typed.events} errors={fieldErrors?.events} />
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="enabled" value="on" defaultChecked={typed.enabled} /> Enabled
      </label>
      <div className="sm:col-span-2">
        <button type="submit" disabled={pending} className={primaryButtonClass}>
          {pending ? "Adding…" : "Add target"}
        </button>
        {state?.ok ? <SecretReveal targetName={state.data.name} secret={state.data.secret} /> : null}
      </div>
    </form>
  );
}
