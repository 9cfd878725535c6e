/**
 * The response headers that keep the browser side tight. Pure, so the proxy,
 * next.config.js's static list and the tests share one definition.
 */

export interface ContentSecurityPolicyOptions {
  /** Fresh per response; Next puts it on its own inline scripts. */
  nonce: string;
  /** `next dev` needs eval (React refresh) and a websocket for hot reload. */
  development: boolean;
  /** Served over HTTPS: ask the browser to upgrade any stray http:// subresource. */
  https?: boolean;
}

export function contentSecurityPolicy({ nonce, development, https = false }: ContentSecurityPolicyOptions): string {
  const directives: Array<[string, ...string[]]> = [
    ["default-src", "'self'"],
    ["script-src", "'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(development ? ["'unsafe-eval'"] : [])],
    // React style attributes and Next's inline style tags; styles cannot run code.
    ["style-src", "'self'", "'unsafe-inline'"],
    ["img-src", "'self'", "data:", "blob:"],
    ["font-src", "'self'", "data:"],
    ["connect-src", "'self'", ...(development ? ["ws:", "wss:"] : [])],
    ["object-src", "'none'"],
    ["base-uri", "'self'"],
    ["form-action", "'self'"],
    ["frame-ancestors", "'none'"],
    ["frame-src", "'none'"],
    ["worker-src", "'self'", "blob:"],
    ["manifest-src", "'self'"],
  ];
  if (https) directives.push(["upgrade-insecure-requests"]);
  return directives.map((directive) => directive.join(" ")).join("; ");
}

/** One year: the usual HSTS lifetime; subdomains are left alone (they may be other people's services). */
const HSTS_MAX_AGE_SECONDS = 31_536_000;

/**
 * The Strict-Transport-Security value when Pullkeeper's public address is https
 * (PULLKEEPER_PUBLIC_URL), otherwise null: over plain http browsers ignore it,
 * and a development server must stay reachable without TLS.
 */
export function strictTransportSecurity(publicUrl: string | undefined): string | null {
  return publicUrl?.toLowerCase().startsWith("https://") ? `max-age=${HSTS_MAX_AGE_SECONDS}` : null;
}

/** Headers for every response (pages, API, static files), set in next.config.js. */
export const STATIC_SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** A base64 nonce from 16 random bytes (Web Crypto: the proxy may run where node:crypto is not). */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
