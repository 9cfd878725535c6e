/** Request header the proxy sets to the path being opened, so server code can send people back after sign-in. */
export const PATH_HEADER = "x-pullkeeper-path";

export const SIGN_IN_PATH = "/sign-in";
export const SETUP_PATH = "/setup";
export const FORBIDDEN_PATH = "/forbidden";

/**
 * A path that is safe to redirect to after sign-in: same-origin, absolute path,
 * not protocol-relative and not back into the sign-in pages. Anything else becomes "/".
 */
export function safeNextPath(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  if (/[\u0000-\u001f]/.test(value)) return "/";
  try {
    const url = new URL(value, "http://pullkeeper.invalid");
    if (url.origin !== "http://pullkeeper.invalid") return "/";
    if (url.pathname === SIGN_IN_PATH || url.pathname === SETUP_PATH || url.pathname.startsWith("/api/auth")) return "/";
    return `${url.pathname}${url.search}`;
  } catch {
    return "/";
  }
}

export function signInUrl(next: string | null | undefined): string {
  const path = safeNextPath(next);
  return path === "/" ? SIGN_IN_PATH : `${SIGN_IN_PATH}?next=${encodeURIComponent(path)}`;
}
