export default function ClusterLoading() {
  return (
    <div role="status" aria-live="polite" className="space-y-3">
      <p className="text-sm text-slate-600">Reading the cluster: namespaces, pull secrets, service accounts and workloads…</p>
      <div className="h-24 animate-pulse rounded-md bg-slate-200" />
      <div className="h-96 animate-pulse rounded-md bg-slate-200" />
    </div>
  );
}
