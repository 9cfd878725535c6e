"use client";

/**
 * The signing secret, shown once after a target is created or its secret
 * rotated: the page never receives it again, only its first characters.
 */
export function SecretReveal({ targetName, secret }: { targetName: string; secret: string }) {
  const id = `secret-${targetName.replace(/[^A-Za-z0-9_-]/g, "-")}`;
  return (
    <div role="status" className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
      <label htmlFor={id} className="block font-medium text-slate-900">
        Signing secret of {targetName}
      </label>
      <p className="mb-2 text-xs text-slate-700">Copy it into the receiver now: Pullkeeper will not show it again. Rotate it if it is lost.</p>
      <input id={id} readOnly value={secret} onFocus={(event) => event.currentTarget.select()} className="w-full rounded border border-slate-300 bg-white px-2 py-1 font-mono text-xs" />
    </div>
  );
}
