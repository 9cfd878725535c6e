import { isCsrfOriginAllowed } from "next/dist/server/app-render/csrf-protection";

/**
 * Server-action requests Next.js would answer with HTTP 500 and a digest, refused
 * in the proxy instead with a 4xx and a short message. Next's own checks stay in
 * place behind this one; see SECURITY.md for the cases left to Next.
 */

/** The header Next's client sends with every fetch-style server action (its value is the action id). */
export const ACTION_HEADER = "next-action";

/** Kept equal to next.config.js's `experimental.serverActions.bodySizeLimit` (a unit test compares them). */
export const SERVER_ACTION_BODY_LIMIT = "1mb";
export const SERVER_ACTION_BODY_LIMIT_BYTES = 1024 * 1024;

export interface ServerActionRefusal {
  status: 400 | 403 | 413;
  /** Short, for the client; never quotes the body. */
  message: string;
  /** For the log line: which check refused the request. */
  reason: "origin_malformed" | "origin_mismatch" | "body_too_large" | "body_malformed";
}

export function isServerActionRequest(request: Request): boolean {
  return request.method === "POST" && request.headers.has(ACTION_HEADER);
}

/**
 * The same CSRF rule Next applies (Origin's host must equal X-Forwarded-Host or
 * Host, or be in `allowedOrigins`), decided before any body is read. A request
 * without Origin passes, as in Next: browsers always send one on a POST.
 */
export function refuseCrossOrigin(headers: Headers, allowedOrigins: readonly string[]): ServerActionRefusal | null {
  const origin = headers.get("origin");
  if (origin === null) return null;
  let originHost: string;
  try {
    originHost = origin === "null" ? "null" : new URL(origin).host;
  } catch {
    return { status: 400, message: "The Origin header is not a URL.", reason: "origin_malformed" };
  }
  const forwarded = headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  const host = forwarded || headers.get("host");
  if (host && originHost === host) return null;
  if (isCsrfOriginAllowed(originHost, [...allowedOrigins])) return null;
  return { status: 403, message: "Cross-origin server action requests are refused.", reason: "origin_mismatch" };
}

const TOO_LARGE: ServerActionRefusal = {
  status: 413,
  message: `The request body is larger than the ${SERVER_ACTION_BODY_LIMIT} server actions accept.`,
  reason: "body_too_large",
};
const MALFORMED: ServerActionRefusal = { status: 400, message: "The server action request body is malformed.", reason: "body_malformed" };

/** Reads at most `limit + 1` bytes: null when the body is larger than the limit. */
async function readCapped(request: Request, limit: number): Promise<Buffer | null> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > limit) return null;
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/**
 * React encodes an action's arguments either as one JSON text or as multipart
 * form data whose root field "0" is JSON (other numbered fields may be blobs or
 * stream chunks, so only the root is checked). Anything else makes React's
 * decoder throw, which Next answers with a 500.
 */
async function bodyIsDecodable(bytes: Buffer, contentType: string): Promise<boolean> {
  if (!contentType.startsWith("multipart/form-data")) return isJson(new TextDecoder().decode(bytes));
  try {
    const root = (await new Response(new Uint8Array(bytes), { headers: { "content-type": contentType } }).formData()).get("0");
    return typeof root === "string" && isJson(root);
  } catch {
    return false;
  }
}

/**
 * Size, then shape, of a fetch-style server action's body (read from the proxy's
 * copy of it; Next's action handler reads its own). URL-encoded bodies are left
 * to Next, which never runs an action for them.
 */
export async function refuseBadBody(request: Request, limitBytes = SERVER_ACTION_BODY_LIMIT_BYTES): Promise<ServerActionRefusal | null> {
  const contentType = request.headers.get("content-type") ?? "";
  if (contentType.startsWith("application/x-www-form-urlencoded")) return null;
  const bytes = await readCapped(request, limitBytes);
  if (bytes === null) return TOO_LARGE;
  return (await bodyIsDecodable(bytes, contentType)) ? null : MALFORMED;
}
