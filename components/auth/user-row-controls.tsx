"use client";

import { changeUserRoleAction } from "@/lib/actions/users/change-user-role";
import { deactivateUserAction } from "@/lib/actions/users/deactivate-user";
import { reactivateUserAction } from "@/lib/actions/users/reactivate-user";
import { setUserClustersAction } from "@/lib/actions/users/set-user-clusters";
import { setUserPasswordAction } from "@/lib/actions/users/set-user-password";
import { ROLE_LABELS, ROLES, type Role } from "@/lib/auth/permissions";
import { ActionForm } from "./action-form";
import { errorId, inputClass, invalidProps, secondaryButtonClass } from "@/components/forms/field";

export interface UserRowData {
  id: string;
  email: string;
  role: Role;
  clusters: string[] | null;
  active: boolean;
  isSelf: boolean;
}

export function RoleControl({ user }: { user: UserRowData }) {
  return (
    <ActionForm action={changeUserRoleAction} label={`Role of ${user.email}`} className="flex items-center gap-2">
      {({ pending }) => (
        <>
          <input type="hidden" name="userId" value={user.id} />
          <label htmlFor={`role-${user.id}`} className="sr-only">
            Role of {user.email}
          </label>
          <select id={`role-${user.id}`} name="role" defaultValue={user.role} className={`${inputClass} w-28`}>
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {ROLE_LABELS[role]}
              </option>
            ))}
          </select>
          <button type="submit" disabled={pending} className={secondaryButtonClass}>
            Save
          </button>
        </>
      )}
    </ActionForm>
  );
}

export function ClusterControl({ user }: { user: UserRowData }) {
  return (
    <ActionForm action={setUserClustersAction} label={`Clusters of ${user.email}`} className="space-y-1">
      {({ fieldErrors, pending }) => (
        <>
          <input type="hidden" name="userId" value={user.id} />
          <label className="flex items-center gap-2 text-xs">
            <input type="checkbox" name="limit" value="on" defaultChecked={user.clusters !== null} /> Limit to
          </label>
          <label htmlFor={`clusters-${user.id}`} className="sr-only">
            Clusters of {user.email}
          </label>
          <div className="flex items-center gap-2">
            <input
              id={`clusters-${user.id}`}
              name="clusters"
              defaultValue={user.clusters?.join(", ") ?? ""}
              placeholder="all clusters"
              {...invalidProps(`clusters-${user.id}`, fieldErrors?.clusters)}
              className={`${inputClass} w-40`}
            />
            <button type="submit" disabled={pending} className={secondaryButtonClass}>
              Save
            </button>
          </div>
          {fieldErrors?.clusters ? <p id={errorId(`clusters-${user.id}`)} className="text-xs text-red-700">{fieldErrors.clusters.join(" ")}</p> : null}
        </>
      )}
    </ActionForm>
  );
}

export function ActivationControl({ user }: { user: UserRowData }) {
  if (user.isSelf) return <span className="text-xs text-slate-500">You</span>;
  const action = user.active ? deactivateUserAction : reactivateUserAction;
  return (
    <ActionForm action={action} label={`${user.active ? "Deactivate" : "Reactivate"} ${user.email}`}>
      {({ pending }) => (
        <>
          <input type="hidden" name="userId" value={user.id} />
          <button type="submit" disabled={pending} className={secondaryButtonClass}>
            {user.active ? "Deactivate" : "Reactivate"}
          </button>
        </>
      )}
    </ActionForm>
  );
}

export function PasswordControl({ user }: { user: UserRowData }) {
  return (
    <ActionForm action={setUserPasswordAction} label={`New password for ${user.email}`} successMessage="Password set; the user was signed out." className="space-y-1">
      {({ fieldErrors, pending }) => (
        <>
          <input type="hidden" name="userId" value={user.id} />
          <label htmlFor={`password-${user.id}`} className="sr-only">
            New password for {user.email}
          </label>
          <div className="flex items-center gap-2">
            <input id={`password-${user.id}`} name="password" type="password" autoComplete="new-password" placeholder="new password" className={`${inputClass} w-36`} />
            <button type="submit" disabled={pending} className={secondaryButtonClass}>
              Set
            </button>
          </div>
          {fieldErrors?.password ? <p className="text-xs text-red-700">{fieldErrors.password.join(" ")}</p> : null}
        </>
      )}
    </ActionForm>
  );
}
