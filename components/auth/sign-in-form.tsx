"use client";

import { useActionState } from "react";
import { signInAction } from "@/lib/actions/auth/sign-in";
import { Field, invalidProps, FormError, inputClass, primaryButtonClass } from "@/components/forms/field";

export function SignInForm({ next, defaultEmail }: { next: string; defaultEmail?: string }) {
  const [state, formAction, pending] = useActionState(signInAction, null);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={formAction} className="space-y-4" aria-label="Sign in with a password">
      <input type="hidden" name="next" value={next} />
      <FormError message={state && !state.ok && !fieldErrors ? state.error : null} />
      <Field id="email" label="Email" errors={fieldErrors?.email}>
        <input
          id="email" {...invalidProps("email", fieldErrors?.email)}
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={defaultEmail}
          className={inputClass}
        />
      </Field>
      <Field id="password" label="Password" errors={fieldErrors?.password}>
        <input
          id="password" {...invalidProps("password", fieldErrors?.password)}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className={inputClass}
        />
      </Field>
      <button type="submit" disabled={pending} className={`${primaryButtonClass} w-full`}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
