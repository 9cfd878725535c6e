"use client";

import { useActionState, type ReactNode } from "react";
import type { ActionResult } from "@/lib/actions/safe-action";
import { FormError } from "@/components/forms/field";


/**
 * A form bound to one server action through useActionState, rendering its
 * refusal or field errors; `children` receives the errors and pending flag.
 */
export function ActionForm<T>({
  action,
  label,
  className,
  successMessage,
  children,
}: {
  action: (previous: ActionResult<T> | null, input: FormData) => Promise<ActionResult<T>>;
  label: string;
  className?: string;
  successMessage?: string;
  children: (state: { fieldErrors?: Record<string, string[]>; pending: boolean }) => ReactNode;
}) {
  const [state, formAction, pending] = useActionState<ActionResult<T> | null, FormData>(action, null);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={formAction} aria-label={label} className={className}>
      {state && !state.ok ? <FormError message={state.error} /> : null}
      {state?.ok && successMessage ? (
        <p role="status" className="text-xs text-emerald-700">
          {successMessage}
        </p>
      ) : null}
      {children({ fieldErrors, pending })}
    </form>
  );
}
