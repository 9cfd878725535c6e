export default function NamespaceLoading() {
  return (
    <div role="status" aria-live="polite" className="space-y-3">
      <p className="text-sm text-slate-600">Reading the namespace…</p>
      <div className="h-40 animate-pulse rounded-md bg-slate-200" />
      <div className="h-40 animate-pulse rounded-md bg-slate-200" />
    </div>
  );
}
