"use client";

import { useActionState } from "react";
import { createWebhookTargetAction } from "@/lib/actions/notifications/create-webhook-target";
import type { ActionResult } from "@/lib/actions/safe-action";
import { Field, FormError, invalidProps, inputClass, primaryButtonClass } from "@/components/forms/field";
import { EventCheckboxes } from "./event-checkboxes";
import { SecretReveal } from "./secret-reveal";

type Created = { id: string; name: string; secret: string };

export function CreateTargetForm() {
  const [state, formAction, pending] = useActionState<ActionResult<Created> | null, FormData>(createWebhookTargetAction, null);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={formAction} aria-label="Add a webhook target" className="grid gap-4 sm:grid-cols-2">
      {state && !state.ok ? (
        <div className="sm:col-span-2">
          <FormError message={state.error} />
        </div>
      ) : null}
      <Field id="target-name" label="Name" errors={fieldErrors?.name}>
        <input id="target-name" {...invalidProps("target-name", fieldErrors?.name)} name="name" required maxLength={100} className={inputClass} placeholder="platform-alerts" />
      </Field>
      <Field id="target-format" label="Body" errors={fieldErrors?.format}>
        <select id="target-format" {...invalidProps("target-format", fieldErrors?.format)} name="format" defaultValue="json" className={inputClass}>
          <option value="json">Generic JSON (signed)</option>
          <option value="slack">Slack incoming webhook</option>
        </select>
      </Field>
      <div className="sm:col-span-2">
        <Field id="target-url" label="URL" errors={fieldErrors?.url} hint="Loopback, private and metadata addresses are refused unless PULLKEEPER_WEBHOOK_ALLOWED_HOSTS names them. Redirects are not followed.">
          <input id="target-url" {...invalidProps("target-url", fieldErrors?.url)} name="url" type="url" required autoComplete="off" className={inputClass} placeholder="https://hooks.example.com/pullkeeper" />
        </Field>
      </div>
      <div className="sm:col-span-2">
        <EventCheckboxes idPrefix="target" checked={["run.failed", "run.interrupted", "registry.credential_rejected"]} errors={fieldErrors?.events} />
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="enabled" value="on" defaultChecked /> Enabled
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
