"use client";

import { useActionState } from "react";
import { ActionForm } from "@/components/auth/action-form";
import { FormError, inputClass, secondaryButtonClass } from "@/components/forms/field";
import { deleteWebhookTargetAction } from "@/lib/actions/notifications/delete-webhook-target";
import { rotateWebhookSecretAction } from "@/lib/actions/notifications/rotate-webhook-secret";
import { sendTestWebhookAction } from "@/lib/actions/notifications/send-test-webhook";
import { setWebhookTargetEnabledAction } from "@/lib/actions/notifications/set-webhook-target-enabled";
import { updateWebhookTargetAction } from "@/lib/actions/notifications/update-webhook-target";
import type { ActionResult } from "@/lib/actions/safe-action";
import type { SubscribableEventType } from "@/lib/notifications/events";
import { EventCheckboxes } from "./event-checkboxes";
import { SecretReveal } from "./secret-reveal";

/** What the row controls need of a target: no URL, no secret. */
export interface TargetRowData {
  id: string;
  name: string;
  events: SubscribableEventType[];
  enabled: boolean;
}

export function EditTargetControl({ target }: { target: TargetRowData }) {
  return (
    <ActionForm action={updateWebhookTargetAction} label={`Events of ${target.name}`} successMessage="Saved." className="space-y-2">
      {({ fieldErrors, pending }) => (
        <>
          <input type="hidden" name="targetId" value={target.id} />
          <label htmlFor={`name-${target.id}`} className="sr-only">
            Name of {target.name}
          </label>
          <input id={`name-${target.id}`} name="name" defaultValue={target.name} required maxLength={100} className={`${inputClass} max-w-xs`} />
          <EventCheckboxes idPrefix={target.id} checked={target.events} errors={fieldErrors?.events} />
          <button type="submit" disabled={pending} className={secondaryButtonClass}>
            Save name and events
          </button>
        </>
      )}
    </ActionForm>
  );
}

export function EnableTargetControl({ target }: { target: TargetRowData }) {
  return (
    <ActionForm action={setWebhookTargetEnabledAction} label={`${target.enabled ? "Disable" : "Enable"} ${target.name}`}>
      {({ pending }) => (
        <>
          <input type="hidden" name="targetId" value={target.id} />
          <input type="hidden" name="enabled" value={target.enabled ? "false" : "true"} />
          <button type="submit" disabled={pending} className={secondaryButtonClass}>
            {target.enabled ? "Disable" : "Enable"}
          </button>
        </>
      )}
    </ActionForm>
  );
}

export function SendTestControl({ target }: { target: TargetRowData }) {
  return (
    <ActionForm action={sendTestWebhookAction} label={`Send a test to ${target.name}`} successMessage="Test queued; see its delivery below.">
      {({ pending }) => (
        <>
          <input type="hidden" name="targetId" value={target.id} />
          <button type="submit" disabled={pending} className={secondaryButtonClass}>
            {pending ? "Sending…" : "Send test"}
          </button>
        </>
      )}
    </ActionForm>
  );
}

export function RotateSecretControl({ target }: { target: TargetRowData }) {
  const [state, formAction, pending] = useActionState<ActionResult<{ id: string; name: string; secret: string }> | null, FormData>(rotateWebhookSecretAction, null);
  return (
    <form action={formAction} aria-label={`Rotate the secret of ${target.name}`}>
      {state && !state.ok ? <FormError message={state.error} /> : null}
      <input type="hidden" name="targetId" value={target.id} />
      <button type="submit" disabled={pending} className={secondaryButtonClass}>
        Rotate secret
      </button>
      {state?.ok ? <SecretReveal targetName={state.data.name} secret={state.data.secret} /> : null}
    </form>
  );
}

export function DeleteTargetControl({ target }: { target: TargetRowData }) {
  return (
    <ActionForm action={deleteWebhookTargetAction} label={`Delete ${target.name}`}>
      {({ pending }) => (
        <>
          <input type="hidden" name="targetId" value={target.id} />
          <button
            type="submit"
            disabled={pending}
            onClick={(event) => {
              if (!window.confirm(`Delete the webhook target ${target.name} and its delivery history?`)) event.preventDefault();
            }}
            className={`${secondaryButtonClass} text-red-800`}
          >
            Delete
          </button>
        </>
      )}
    </ActionForm>
  );
}
