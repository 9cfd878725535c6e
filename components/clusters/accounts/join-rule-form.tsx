"use client";

import { useActionState } from "react";
import { ActionForm } from "@/components/auth/action-form";
import { Field, FormError, inputClass, primaryButtonClass, secondaryButtonClass, SuggestField } from "@/components/forms/field";
import { createJoinRuleAction, deleteJoinRuleAction } from "@/lib/actions/clusters/accounts/join-rules";

export function RemoveJoinRuleButton({ ruleId, description }: { ruleId: string; description: string }) {
  return (
    <ActionForm action={deleteJoinRuleAction} label={`Remove the rule ${description}`}>
      {({ pending }) => (
        <>
          <input type="hidden" name="ruleId" value={ruleId} />
          <button type="submit" disabled={pending} className={`${secondaryButtonClass} text-red-800`}>
            Remove rule
          </button>
        </>
      )}
    </ActionForm>
  );
}

/** Adds a join rule; the server runs it at once and says what joined. */
export function AddJoinRuleForm({ accountId, resourceGroups, tags }: { accountId: string; resourceGroups: string[]; tags: string[] }) {
  const [state, formAction, pending] = useActionState(createJoinRuleAction, null);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={formAction} aria-label="Add a join rule" className="grid gap-3 rounded-md border border-slate-200 bg-white p-4 sm:grid-cols-3">
      <input type="hidden" name="accountId" value={accountId} />
      {state && !state.ok ? (
        <div className="sm:col-span-3">
          <FormError message={state.error} />
        </div>
      ) : null}
      <SuggestField id="rule-group" name="resourceGroup" label="Resource group" suggestions={resourceGroups} errors={fieldErrors?.resourceGroup} hint="Name or id; empty: any." maxLength={128} />
      <SuggestField id="rule-tag" name="tag" label="Tag" suggestions={tags} errors={fieldErrors?.tag} hint="e.g. env:prod; empty: any." maxLength={128} />
      <Field id="rule-endpoint" label="Service endpoint" errors={fieldErrors?.endpoint}>
        <select id="rule-endpoint" name="endpoint" defaultValue="public" className={inputClass}>
          <option value="public">Public</option>
          <option value="private">Private</option>
        </select>
      </Field>
      <div className="sm:col-span-3">
        <button type="submit" disabled={pending} className={primaryButtonClass}>
          {pending ? "Adding and running…" : "Add join rule"}
        </button>
      </div>
      {state?.ok ? (
        <div role="status" className="text-sm sm:col-span-3">
          <p>Rule added and run: {state.data.joined.length ? `joined ${state.data.joined.join(", ")}.` : "no new cluster to add now; new ones join at the next scheduled run."}</p>
          {state.data.failed.map((f) => (
            <p key={f.name} className="text-red-900">
              {f.name} could not join: {f.error} {f.advice}
            </p>
          ))}
        </div>
      ) : null}
    </form>
  );
}
