"use client";

import Link from "next/link";
import { useActionState } from "react";
import { Field, FormError, invalidProps, inputClass, primaryButtonClass } from "@/components/forms/field";
import { connectCloudAccountAction } from "@/lib/actions/clusters/accounts/connect-account";
import type { ActionResult } from "@/lib/actions/safe-action";
import { ownerDescription } from "./owner";

type Connected = Extract<Awaited<ReturnType<typeof connectCloudAccountAction>>, { ok: true }>["data"];

/**
 * React resets the form after its action: the key field has no default, so the key is gone from the page
 * whatever the outcome; after a refusal the display name comes back as typed.
 */
async function submit(_previous: { result: ActionResult<Connected>; displayName: string } | null, form: FormData) {
  const result = await connectCloudAccountAction(null, form);
  return { result, displayName: result.ok ? "" : String(form.get("displayName") ?? "") };
}

export function ConnectAccountForm() {
  const [outcome, formAction, pending] = useActionState(submit, null);
  const state = outcome?.result ?? null;
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={formAction} aria-label="Connect an IBM Cloud account" className="grid gap-4 sm:grid-cols-2">
      {state && !state.ok ? (
        <div className="sm:col-span-2">
          <FormError message={state.error} />
        </div>
      ) : null}
      <Field id="account-name" label="Display name" errors={fieldErrors?.displayName} hint="How people here call the account, e.g. “Production (eu-de)”.">
        <input id="account-name" {...invalidProps("account-name", fieldErrors?.displayName)} name="displayName" defaultValue={outcome?.displayName ?? ""} required maxLength={100} className={inputClass} />
      </Field>
      <Field
        id="account-api-key"
        label="IBM Cloud API key"
        errors={fieldErrors?.apiKey}
        hint="Use the API key of a service ID made for Pullkeeper, not a person's key: it keeps working when people leave or change teams, and its access is exactly what you grant it. Give the service ID the Viewer platform role (to list clusters) and the Writer service role (to manage pull secrets) on Kubernetes Service. The key is sealed and never shown again."
      >
        <input
          id="account-api-key"
          {...invalidProps("account-api-key", fieldErrors?.apiKey)}
          name="apiKey"
          type="password"
          required
          autoComplete="off"
          spellCheck={false}
          className={inputClass}
        />
      </Field>
      <div className="sm:col-span-2">
        <button type="submit" disabled={pending} className={primaryButtonClass}>
          {pending ? "Asking IAM…" : "Connect account"}
        </button>
      </div>
      {state?.ok ? (
        <p role="status" className="rounded border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900 sm:col-span-2">
          Connected <strong>{state.data.displayName}</strong> with {ownerDescription(state.data)} (IBM Cloud account {state.data.ibmAccountId}). The key is stored sealed and will not be shown again.{" "}
          <Link href={`/admin/clusters/accounts/${state.data.id}`} className="text-sky-800 underline">
            Discover its clusters
          </Link>
        </p>
      ) : null}
    </form>
  );
}
