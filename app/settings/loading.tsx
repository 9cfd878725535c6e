export default function SettingsLoading() {
  return (
    <div role="status" aria-live="polite" className="text-sm text-slate-500">
      Reading settings and asking IBM Cloud who we are…
    </div>
  );
}
