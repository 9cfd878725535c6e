/** Request header the proxy sets to the path being opened, so server code can send people back after sign-in. */
export const PATH_HEADER = "x-pullkeeper-path";

export const SIGN_IN_PATH = "/sign-in";
export const SETUP_PATH = "/setup";
export const FORBIDDEN_PATH = "/forbidden";
/** Where a single sign-on user no group grants a role waits for an admin's approval. */
export const PENDING_PATH = "/pending";

/** Same-origin absolute path: one leading slash, no backslash (browsers read `/\\x` as `//x`), no control characters. */
function isLocalPath(value: string): boolean {
  return value.startsWith("/") && !value.startsWith("//") && !value.includes("\\") && !/[\u0000-\u001f\u007f]/.test(value);
}

/**
 * A path that is safe to redirect to after sign-in: same-origin, absolute path,
 * not protocol-relative and not back into the sign-in pages. Anything else becomes "/".
 * Both the raw value and the normalised one returned are checked: normalising
 * dot segments can turn `/.//evil.example` into `//evil.example`.
 */
export function safeNextPath(value: string | null | undefined): string {
  if (!value || !isLocalPath(value)) return "/";
  try {
    const url = new URL(value, "http://pullkeeper.invalid");
    if (url.origin !== "http://pullkeeper.invalid") return "/";
    if (url.pathname === SIGN_IN_PATH || url.pathname === SETUP_PATH || url.pathname.startsWith("/api/auth")) return "/";
    const result = `${url.pathname}${url.search}`;
    return isLocalPath(result) && new URL(result, "http://pullkeeper.invalid").origin === "http://pullkeeper.invalid" ? result : "/";
  } catch {
    return "/";
  }
}

export function signInUrl(next: string | null | undefined): string {
  const path = safeNextPath(next);
  return path === "/" ? SIGN_IN_PATH : `${SIGN_IN_PATH}?next=${encodeURIComponent(path)}`;
}
