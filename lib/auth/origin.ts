import "server-only";
import { env } from "@/lib/env";

/**
 * Hosts (host[:port]) besides the request's own that may send state-changing
 * requests: the public URL's and PULLKEEPER_ALLOWED_ORIGINS, the same list the
 * server actions' origin check takes (next.config.js).
 */
export function allowedOriginHosts(): string[] {
  const { PULLKEEPER_PUBLIC_URL, PULLKEEPER_ALLOWED_ORIGINS } = env();
  const hosts = PULLKEEPER_ALLOWED_ORIGINS.map((entry) => entry.replace(/^https?:\/\//, "").replace(/\/+$/, ""));
  if (PULLKEEPER_PUBLIC_URL) hosts.push(new URL(PULLKEEPER_PUBLIC_URL).host);
  return hosts.map((host) => host.toLowerCase());
}

/**
 * The check Next runs on server actions, for route handlers that change state:
 * the browser's Origin header must name this server (its Host, or an allowed
 * host). A request without Origin is refused: browsers send it on every POST,
 * so only a forged or non-browser request lacks it.
 */
export function isSameOriginRequest(request: Request, allowedHosts: readonly string[]): boolean {
  const origin = request.headers.get("origin");
  if (!origin || origin === "null") return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    return false;
  }
  const requestHost = (request.headers.get("x-forwarded-host")?.split(",")[0] ?? request.headers.get("host") ?? new URL(request.url).host)
    .trim()
    .toLowerCase();
  return originHost === requestHost || allowedHosts.includes(originHost);
}
