"use client";

import { useActionState } from "react";
import { signInAction } from "@/lib/actions/auth/sign-in";
import { Field, FormError, inputClass, primaryButtonClass } from "./form-parts";

export function SignInForm({ next, defaultEmail }: { next: string; defaultEmail?: string }) {
  const [state, formAction, pending] = useActionState(signInAction, null);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={formAction} className="space-y-4" aria-label="Sign in with a password">
      <input type="hidden" name="next" value={next} />
      <FormError message={state && !state.ok && !fieldErrors ? state.error : null} />
      <Field id="email" label="Email" errors={fieldErrors?.email}>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={defaultEmail}
          aria-invalid={fieldErrors?.email ? true : undefined}
          className={inputClass}
        />
      </Field>
      <Field id="password" label="Password" errors={fieldErrors?.password}>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={fieldErrors?.password ? true : undefined}
          className={inputClass}
        />
      </Field>
      <button type="submit" disabled={pending} className={`${primaryButtonClass} w-full`}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
