"use client";

import { approveUserAction } from "@/lib/actions/users/approve-user";
import { rejectUserAction } from "@/lib/actions/users/reject-user";
import { ROLE_LABELS, ROLES } from "@/lib/auth/permissions";
import { ActionForm } from "./action-form";
import { errorId, inputClass, invalidProps, secondaryButtonClass } from "@/components/forms/field";

export interface PendingUserData {
  id: string;
  email: string;
}

/** Approve: the role and cluster limit are chosen together, so the user never holds every cluster by accident. */
export function ApproveControl({ user }: { user: PendingUserData }) {
  return (
    <ActionForm action={approveUserAction} label={`Approve ${user.email}`} successMessage="Approved." className="space-y-1">
      {({ fieldErrors, pending }) => (
        <>
          <input type="hidden" name="userId" value={user.id} />
          <div className="flex flex-wrap items-center gap-2">
            <label htmlFor={`approve-role-${user.id}`} className="sr-only">
              Role for {user.email}
            </label>
            <select id={`approve-role-${user.id}`} name="role" defaultValue="viewer" className={`${inputClass} w-28`}>
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {ROLE_LABELS[role]}
                </option>
              ))}
            </select>
            <label className="flex items-center gap-1 text-xs">
              <input type="checkbox" name="limit" value="on" defaultChecked /> Limit to
            </label>
            <label htmlFor={`approve-clusters-${user.id}`} className="sr-only">
              Clusters for {user.email}
            </label>
            <input
              id={`approve-clusters-${user.id}`}
              name="clusters"
              placeholder="cluster1, cluster2"
              {...invalidProps(`approve-clusters-${user.id}`, fieldErrors?.clusters)}
              className={`${inputClass} w-40`}
            />
            <button type="submit" disabled={pending} className={secondaryButtonClass}>
              Approve
            </button>
          </div>
          {fieldErrors?.clusters ? (
            <p id={errorId(`approve-clusters-${user.id}`)} className="text-xs text-red-700">
              {fieldErrors.clusters.join(" ")}
            </p>
          ) : null}
        </>
      )}
    </ActionForm>
  );
}

export function RejectControl({ user }: { user: PendingUserData }) {
  return (
    <ActionForm action={rejectUserAction} label={`Reject ${user.email}`}>
      {({ pending }) => (
        <>
          <input type="hidden" name="userId" value={user.id} />
          <button type="submit" disabled={pending} className={secondaryButtonClass}>
            Reject
          </button>
        </>
      )}
    </ActionForm>
  );
}
