"use client";

import { useActionState } from "react";
import { signOutAction } from "@/lib/actions/auth/sign-out";

export function SignOutButton() {
  const [state, formAction, pending] = useActionState(signOutAction, null);
  return (
    <form action={formAction}>
      <button
        type="submit"
        disabled={pending}
        title={state && !state.ok ? state.error : undefined}
        className="rounded border border-slate-300 px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-100"
      >
        {pending ? "Signing out…" : "Sign out"}
      </button>
    </form>
  );
}
