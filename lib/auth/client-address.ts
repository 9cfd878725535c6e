/**
 * The address a request came from, for sign-in throttling and session records.
 * Next sets X-Forwarded-For to the socket address when no proxy did; behind a
 * proxy the last entry is the one the nearest (trusted) hop saw, and earlier
 * entries are whatever the client claimed, so only the last is used.
 */
export function clientAddress(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for");
  const last = forwarded?.split(",").map((part) => part.trim()).filter(Boolean).at(-1);
  const candidate = last ?? headers.get("x-real-ip")?.trim();
  if (!candidate) return null;
  // IPv4-mapped IPv6 (::ffff:10.0.0.1) and plain IPv4 are the same client.
  return candidate.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1").toLowerCase();
}
