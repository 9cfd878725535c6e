"use client";

import Link from "next/link";

/** What a failed page shows: nothing was changed, where the details are, and a way back. */
export function RouteError({ title, error, reset }: { title: string; error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section role="alert" className="mx-auto max-w-xl rounded-md border border-red-200 bg-white p-6">
      <h1 className="text-lg font-semibold">{title}</h1>
      <p className="mt-2 text-sm text-slate-600">
        Nothing was changed in any cluster. The server log has the details
        {error.digest ? (
          <>
            {" "}under reference <code className="font-mono">{error.digest}</code>
          </>
        ) : null}
        .
      </p>
      <div className="mt-4 flex gap-2">
        <button type="button" onClick={reset} className="rounded bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700">
          Try again
        </button>
        <Link href="/" className="rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50">
          Back to the fleet
        </Link>
      </div>
    </section>
  );
}
