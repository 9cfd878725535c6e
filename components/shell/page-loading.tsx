/** The loading state of pages without a more specific one (fleet, audit log). */
export function PageLoading() {
  return (
    <div role="status" aria-live="polite" className="animate-pulse text-sm text-slate-500">
      Loading…
    </div>
  );
}
