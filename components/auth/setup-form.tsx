"use client";

import { useActionState } from "react";
import { completeSetupAction } from "@/lib/actions/auth/complete-setup";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password-policy";
import { Field, invalidProps, FormError, inputClass, primaryButtonClass } from "@/components/forms/field";

export function SetupForm({ token }: { token: string }) {
  const [state, formAction, pending] = useActionState(completeSetupAction, null);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={formAction} className="space-y-4" aria-label="Create the first admin">
      <FormError message={state && !state.ok ? state.error : null} />
      <Field id="token" label="Setup token" errors={fieldErrors?.token} hint="Printed in the server log at start; it works once.">
        <input id="token" {...invalidProps("token", fieldErrors?.token)} name="token" required defaultValue={token} autoComplete="off" spellCheck={false} className={`${inputClass} font-mono`} />
      </Field>
      <Field id="name" label="Your name" errors={fieldErrors?.name}>
        <input id="name" {...invalidProps("name", fieldErrors?.name)} name="name" required autoComplete="name" className={inputClass} />
      </Field>
      <Field id="email" label="Email" errors={fieldErrors?.email}>
        <input id="email" {...invalidProps("email", fieldErrors?.email)} name="email" type="email" required autoComplete="username" className={inputClass} />
      </Field>
      <Field id="password" label="Password" errors={fieldErrors?.password} hint={`At least ${PASSWORD_MIN_LENGTH} characters; a passphrase is best.`}>
        <input id="password" {...invalidProps("password", fieldErrors?.password)} name="password" type="password" required minLength={PASSWORD_MIN_LENGTH} autoComplete="new-password" className={inputClass} />
      </Field>
      <button type="submit" disabled={pending} className={`${primaryButtonClass} w-full`}>
        {pending ? "Creating…" : "Create admin and sign in"}
      </button>
    </form>
  );
}
