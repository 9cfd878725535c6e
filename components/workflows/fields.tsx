"use client";

import { errorId } from "@/components/forms/field";

export function Checkbox({ name, label, checked, onChange, hint }: { name: string; label: string; checked: boolean; onChange: (value: boolean) => void; hint?: string }) {
  return (
    <div className="text-sm">
      <label className="flex items-start gap-2">
        <input id={name} type="checkbox" checked={checked} onChange={(event) => onChange(event.target.checked)} className="mt-0.5" />
        <span>
          {label}
          {hint ? <span className="block text-xs text-slate-500">{hint}</span> : null}
        </span>
      </label>
    </div>
  );
}

/** Splits "a, b\nc" into ["a", "b", "c"]. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** A labelled group of checkboxes choosing a subset of `options`, with its validation message. */
export function CheckboxGroup({
  legend,
  name,
  options,
  chosen,
  onChange,
  errors,
  columns = 1,
  empty,
}: {
  legend: string;
  name: string;
  options: readonly string[];
  chosen: readonly string[];
  onChange: (chosen: string[]) => void;
  errors: Record<string, string[]>;
  columns?: 1 | 2 | 3;
  empty?: string;
}) {
  const messages = errors[name];
  const layout = columns === 1 ? "max-h-40 space-y-1 overflow-auto rounded border border-slate-200 p-2" : `grid gap-1 ${columns === 2 ? "grid-cols-2" : "grid-cols-3"}`;
  return (
    <fieldset className="text-sm" aria-describedby={messages?.length ? errorId(name) : undefined}>
      <legend className="font-medium">{legend}</legend>
      <div className={`mt-1 ${layout}`}>
        {options.map((option) => (
          <label key={option} className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={chosen.includes(option)}
              onChange={(event) => onChange(event.target.checked ? [...chosen, option] : chosen.filter((value) => value !== option))}
            />
            <span className="font-mono text-xs">{option}</span>
          </label>
        ))}
        {options.length === 0 && empty ? <p className="text-slate-500">{empty}</p> : null}
      </div>
      {messages?.length ? (
        <p id={errorId(name)} className="mt-1 text-xs text-red-700">
          {messages.join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}
