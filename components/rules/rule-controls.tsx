"use client";

import { ActionForm } from "@/components/auth/action-form";
import { inputClass, secondaryButtonClass } from "@/components/forms/field";
import { decideRuleConflictAction } from "@/lib/actions/rules/decide-rule-conflict";
import { deleteRuleAction } from "@/lib/actions/rules/delete-rule";
import { pauseRuleAction } from "@/lib/actions/rules/pause-rule";
import { resumeRuleAction } from "@/lib/actions/rules/resume-rule";

export function PauseResumeControl({ rule }: { rule: { id: string; name: string; paused: boolean } }) {
  return (
    <ActionForm action={rule.paused ? resumeRuleAction : pauseRuleAction} label={`${rule.paused ? "Resume" : "Pause"} ${rule.name}`}>
      {({ pending }) => (
        <>
          <input type="hidden" name="ruleId" value={rule.id} />
          <button type="submit" disabled={pending} className={secondaryButtonClass}>
            {rule.paused ? "Resume" : "Pause"}
          </button>
        </>
      )}
    </ActionForm>
  );
}

export function DeleteRuleControl({ rule }: { rule: { id: string; name: string } }) {
  return (
    <ActionForm action={deleteRuleAction} label={`Delete ${rule.name}`}>
      {({ pending }) => (
        <>
          <input type="hidden" name="ruleId" value={rule.id} />
          <button
            type="submit"
            disabled={pending}
            onClick={(event) => {
              if (!window.confirm(`Delete the keeping rule ${rule.name}? The copies it made stay; its history stays in the audit log.`)) event.preventDefault();
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

/** One click per answer to a same-name secret conflict; "Use another name" takes the name typed beside it. A secret another tool manages cannot be adopted. */
export function ConflictDecisionControl({ ruleId, cluster, namespace, secret, mayAdopt }: { ruleId: string; cluster: string; namespace: string; secret: string; mayAdopt: boolean }) {
  const id = `rename-${cluster}-${namespace}-${secret}`;
  return (
    <ActionForm action={decideRuleConflictAction} label={`Decide the conflict on ${secret} in ${namespace}`} successMessage="Decided; the rule is evaluated again." className="mt-1 space-y-1">
      {({ pending, fieldErrors }) => (
        <>
          <input type="hidden" name="ruleId" value={ruleId} />
          <input type="hidden" name="cluster" value={cluster} />
          <input type="hidden" name="namespace" value={namespace} />
          <input type="hidden" name="secret" value={secret} />
          <div className="flex flex-wrap items-center gap-2">
            {mayAdopt ? (
              <button type="submit" name="decision" value="adopt" disabled={pending} className={secondaryButtonClass} title="Treat the existing secret as the rule's copy from now on">
                Adopt
              </button>
            ) : null}
            <button type="submit" name="decision" value="skip" disabled={pending} className={secondaryButtonClass} title="Leave this namespace alone">
              Skip
            </button>
            <label htmlFor={id} className="sr-only">
              Another name for the copy in {namespace}
            </label>
            <input id={id} name="renameTo" placeholder="another name" className={`${inputClass} w-44`} aria-invalid={fieldErrors?.renameTo ? true : undefined} />
            <button type="submit" name="decision" value="rename" disabled={pending} className={secondaryButtonClass}>
              Use another name
            </button>
          </div>
          {fieldErrors?.renameTo ? <p className="text-xs text-red-700">{fieldErrors.renameTo.join(" ")}</p> : null}
        </>
      )}
    </ActionForm>
  );
}
