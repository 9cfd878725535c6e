/**
 * A dynamic route segment as a plain string. Next has decoded segments in some
 * versions and paths and not in others (vercel/next.js#48058), and context names
 * such as `arn:aws:eks:…:cluster/x` contain reserved characters; decoding once
 * more is harmless for names without `%`, and a malformed sequence is kept as is.
 */
export function routeParam(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
