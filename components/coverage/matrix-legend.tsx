import { STATE_DISPLAY, STATE_ORDER, VERIFICATION_DISPLAY } from "./states";

const SHORT_MEANING: Readonly<Record<(typeof STATE_ORDER)[number], string>> = {
  rejected: "the key is dead (registry or IAM)",
  missing: "needed, nothing to pull with",
  legacy_only: "discontinued tokens only",
  not_attached: "a secret exists, not attached",
  not_needed: "absent, and nothing needs it",
  covered: "attached and not known dead",
};

/** What each cell colour and mark means; red is for what a namespace needs and cannot pull. */
export function MatrixLegend() {
  const marks = Object.values(VERIFICATION_DISPLAY).filter((v) => v !== null);
  return (
    <ul aria-label="Legend" className="mb-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700">
      {STATE_ORDER.map((state) => {
        const s = STATE_DISPLAY[state];
        return (
          <li key={state} className="flex items-center gap-1">
            <span className={`inline-block whitespace-nowrap rounded-sm border-l-4 px-1.5 py-0.5 text-slate-900 ${s.className}`}>
              <span aria-hidden>{s.icon}</span> {s.label}
            </span>
            <span>{SHORT_MEANING[state]}</span>
          </li>
        );
      })}
      {marks.map((v) => (
        <li key={v.label} className="flex items-center gap-1">
          <span aria-hidden>{v.icon}</span> {v.label}
        </li>
      ))}
    </ul>
  );
}
