import { EVENT_LABELS, SUBSCRIBABLE_EVENT_TYPES } from "@/lib/notifications/events";

/** The events a target receives, as a group of checkboxes named `events`. */
export function EventCheckboxes({ idPrefix, checked, errors }: { idPrefix: string; checked: readonly string[]; errors?: string[] | undefined }) {
  const errorId = `${idPrefix}-events-error`;
  return (
    <fieldset aria-describedby={errors ? errorId : undefined}>
      <legend className="text-sm font-medium text-slate-800">Events</legend>
      <div className="mt-1 grid gap-1 sm:grid-cols-2">
        {SUBSCRIBABLE_EVENT_TYPES.map((type) => (
          <label key={type} className="flex items-start gap-2 text-xs">
            <input type="checkbox" name="events" value={type} defaultChecked={checked.includes(type)} className="mt-0.5" />
            <span>
              <code className="text-slate-900">{type}</code>
              <span className="block text-slate-600">{EVENT_LABELS[type]}</span>
            </span>
          </label>
        ))}
      </div>
      {errors ? (
        <p id={errorId} className="mt-1 text-xs text-red-700">
          {errors.join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}
