"use client";

import { createUserAction } from "@/lib/actions/users/create-user";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password-policy";
import { ROLE_LABELS, ROLES } from "@/lib/auth/permissions";
import { ActionForm } from "./action-form";
import { Field, invalidProps, inputClass, primaryButtonClass } from "@/components/forms/field";

export function CreateUserForm() {
  return (
    <ActionForm action={createUserAction} label="Create a local user" successMessage="User created." className="grid gap-4 sm:grid-cols-2">
      {({ fieldErrors, pending }) => (
        <>
          <Field id="new-name" label="Name" errors={fieldErrors?.name}>
            <input id="new-name" {...invalidProps("new-name", fieldErrors?.name)} name="name" required className={inputClass} />
          </Field>
          <Field id="new-email" label="Email" errors={fieldErrors?.email}>
            <input id="new-email" {...invalidProps("new-email", fieldErrors?.email)} name="email" type="email" required autoComplete="off" className={inputClass} />
          </Field>
          <Field id="new-role" label="Role" errors={fieldErrors?.role}>
            <select id="new-role" {...invalidProps("new-role", fieldErrors?.role)} name="role" defaultValue="viewer" className={inputClass}>
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {ROLE_LABELS[role]}
                </option>
              ))}
            </select>
          </Field>
          <Field id="new-password" label="Initial password" errors={fieldErrors?.password} hint={`At least ${PASSWORD_MIN_LENGTH} characters. Share it privately.`}>
            <input id="new-password" {...invalidProps("new-password", fieldErrors?.password)} name="password" type="password" required minLength={PASSWORD_MIN_LENGTH} autoComplete="new-password" className={inputClass} />
          </Field>
          <fieldset className="sm:col-span-2">
            <legend className="text-sm font-medium text-slate-800">Clusters</legend>
            <label className="mt-1 flex items-center gap-2 text-sm">
              <input type="checkbox" name="limit" value="on" /> Limit to these clusters
            </label>
            <Field id="new-clusters" label="Cluster names (comma-separated)" errors={fieldErrors?.clusters}>
              <input id="new-clusters" {...invalidProps("new-clusters", fieldErrors?.clusters)} name="clusters" className={inputClass} placeholder="regional, modern" />
            </Field>
          </fieldset>
          <div className="sm:col-span-2">
            <button type="submit" disabled={pending} className={primaryButtonClass}>
              {pending ? "Creating…" : "Create user"}
            </button>
          </div>
        </>
      )}
    </ActionForm>
  );
}
