/** Server components render once per request, so "now" is the request's time. */
function renderTime(): number {
  return Date.now();
}

/** An absolute timestamp with a human age; the absolute time is in the title and the datetime attribute. */
export function RelativeTime({ iso, now }: { iso: string | null; now?: number }) {
  if (!iso) return <span>—</span>;
  const date = new Date(iso);
  return (
    <time dateTime={iso} title={date.toISOString().replace("T", " ").slice(0, 19) + " UTC"}>
      {formatAge((now ?? renderTime()) - date.getTime())}
    </time>
  );
}

export function formatAge(milliseconds: number): string {
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes}m ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours}h ago`;
  const days = Math.round(hours / 24);
  if (days < 365) return `${days}d ago`;
  return `${(days / 365).toFixed(1)}y ago`;
}
