import type { ReactNode } from "react";

/**
 * The one labelled-field markup of every form (sign-in, users, workflows):
 * label, control, hint, and the validation messages the control points at
 * through aria-describedby, so a screen reader reads the error with the field.
 */
export function Field({
  id,
  label,
  errors,
  hint,
  children,
}: {
  /** The control's id; the label and the messages hang off it. */
  id: string;
  label: string;
  errors?: readonly string[];
  hint?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="space-y-1 text-sm">
      <label htmlFor={id} className="block font-medium text-slate-800">
        {label}
      </label>
      {children}
      {hint ? (
        <p id={hintId(id)} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={errorId(id)} className="text-xs text-red-700" aria-live="polite">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

/**
 * A text field that offers the values already known (a datalist) and takes any
 * other: the Field markup around an input tied to a list of suggestions.
 */
export function SuggestField({
  id,
  name,
  label,
  suggestions,
  errors,
  hint,
  maxLength,
}: {
  id: string;
  name: string;
  label: string;
  suggestions: readonly string[];
  errors?: readonly string[];
  hint?: ReactNode;
  maxLength?: number;
}) {
  const listId = `${safeId(id)}-options`;
  // The datalist stays outside the Field: as its last child it would add space under the hint.
  return (
    <>
      <Field id={id} label={label} errors={errors} hint={hint}>
        <input id={id} {...invalidProps(id, errors)} name={name} list={listId} maxLength={maxLength} className={inputClass} />
      </Field>
      <datalist id={listId}>
        {suggestions.map((value) => (
          <option key={value} value={value} />
        ))}
      </datalist>
    </>
  );
}

/** Spread on the control inside a Field: marks it invalid and links its messages. */
export function invalidProps(id: string, errors?: readonly string[]) {
  return errors?.length ? { "aria-invalid": true as const, "aria-describedby": errorId(id) } : {};
}

export function errorId(id: string): string {
  return `${safeId(id)}-error`;
}

function hintId(id: string): string {
  return `${safeId(id)}-hint`;
}

// Field names such as "targets.namespaces" are valid ids but awkward in CSS selectors.
function safeId(id: string): string {
  return id.replace(/[^a-z0-9]/gi, "-");
}

export const inputClass =
  "block w-full rounded border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-sm focus:border-sky-600 aria-[invalid=true]:border-red-600";

export const primaryButtonClass =
  "rounded bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700 disabled:cursor-not-allowed disabled:opacity-60";

export const secondaryButtonClass =
  "rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-60";

/** A form-level error (not tied to one field), announced when it appears. */
export function FormError({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900">
      {message}
    </p>
  );
}
