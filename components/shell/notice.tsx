import type { ReactNode } from "react";

const TONES = {
  info: "border-sky-200 bg-sky-50 text-sky-900",
  warning: "border-amber-200 bg-amber-50 text-amber-900",
  error: "border-red-200 bg-red-50 text-red-900",
} as const;

export function Notice({ tone = "info", title, children }: { tone?: keyof typeof TONES; title: string; children?: ReactNode }) {
  return (
    <section role={tone === "error" ? "alert" : "status"} className={`rounded-md border p-4 text-sm ${TONES[tone]}`}>
      <h2 className="font-medium">{title}</h2>
      {children ? <div className="mt-2 space-y-2">{children}</div> : null}
    </section>
  );
}
