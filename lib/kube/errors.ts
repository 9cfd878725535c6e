import { isPullkeeperError, isTransientKind, PullkeeperError, type PullkeeperErrorLike } from "@/lib/errors";

export type KubeErrorKind =
  | "not_found"
  | "forbidden"
  | "unauthorized"
  | "conflict"
  | "invalid"
  | "already_exists"
  | "rate_limited"
  | "unavailable"
  | "tls_error"
  | "timeout";

// A type, not an interface, so that it fits the base error's open context.
export type KubeErrorContext = {
  cluster: string;
  namespace?: string;
  /** `resource/name` or `resource` (e.g. `secrets/all-icr-io`, `serviceaccounts`). */
  object?: string;
};

/**
 * Every failure of the Kubernetes adapter. Messages are written for an operator and never carry secret values.
 * A conflict is transient here: the object changed under us, and reading it again and repeating the write is safe.
 */
export class KubeError extends PullkeeperError {
  override readonly name = "KubeError";
  declare readonly kind: KubeErrorKind;
  readonly cluster: string;
  readonly namespace?: string;
  readonly object?: string;
  /** HTTP status, when the server answered. */
  readonly status?: number;
  /** Kubernetes Status `reason` (NotFound, Forbidden, ...), when present. */
  readonly reason?: string;

  constructor(
    kind: KubeErrorKind,
    message: string,
    ctx: KubeErrorContext,
    extra: { status?: number; reason?: string; retryAfterSeconds?: number; transient?: boolean } = {},
  ) {
    super("kube", kind, message, {
      context: ctx,
      transient: extra.transient ?? (kind === "conflict" || isTransientKind(kind)),
      ...(extra.retryAfterSeconds !== undefined ? { retryAfterSeconds: extra.retryAfterSeconds } : {}),
    });
    this.cluster = ctx.cluster;
    if (ctx.namespace !== undefined) this.namespace = ctx.namespace;
    if (ctx.object !== undefined) this.object = ctx.object;
    if (extra.status !== undefined) this.status = extra.status;
    if (extra.reason !== undefined) this.reason = extra.reason;
  }

  /** Plain, serialisable form for server actions and logs. */
  toJSON(): { kind: KubeErrorKind; message: string; cluster: string; namespace?: string; object?: string; status?: number } {
    return {
      kind: this.kind,
      message: this.message,
      cluster: this.cluster,
      ...(this.namespace !== undefined ? { namespace: this.namespace } : {}),
      ...(this.object !== undefined ? { object: this.object } : {}),
      ...(this.status !== undefined ? { status: this.status } : {}),
    };
  }
}

/** A failure of the Kubernetes adapter (optionally of one kind), recognised by its fields whichever bundle made it. */
export function isKubeError(e: unknown, kind?: KubeErrorKind): e is KubeError & PullkeeperErrorLike {
  return isPullkeeperError(e, "kube", kind);
}

interface StatusBody {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { retryAfterSeconds?: number; causes?: { reason?: string; message?: string; field?: string }[] };
}

function parseStatus(body: string | undefined): StatusBody | undefined {
  if (!body) return undefined;
  try {
    const v = JSON.parse(body) as unknown;
    return typeof v === "object" && v !== null && (v as StatusBody).kind === "Status" ? (v as StatusBody) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * API servers quote the rejected value in validation messages; for secret data
 * that value is the credential itself. Strip every quoted value reported for a
 * `data`/`stringData` field, and bound the length of whatever is left.
 */
export function sanitizeServerMessage(message: string): string {
  const redacted = message.replace(/((?<![A-Za-z])(?:data|stringData)(?:\[[^\]]*\]|\.[^\s:]*)?: Invalid value: )"(?:[^"\\]|\\.)*"/g, "$1<redacted>");
  return redacted.length > 600 ? `${redacted.slice(0, 600)}…` : redacted;
}

function where(ctx: KubeErrorContext): string {
  const parts = [`cluster "${ctx.cluster}"`];
  if (ctx.namespace) parts.push(`namespace "${ctx.namespace}"`);
  return parts.join(", ");
}

function parseRetryAfter(headers: Record<string, string | string[] | undefined> | undefined, status: StatusBody | undefined): number | undefined {
  const raw = headers?.["retry-after"];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value !== undefined) {
    const n = Number(value);
    if (Number.isFinite(n) && n >= 0) return n;
    const date = Date.parse(value);
    if (Number.isFinite(date)) return Math.max(0, Math.ceil((date - Date.now()) / 1000));
  }
  return status?.details?.retryAfterSeconds;
}

/** Maps an HTTP error answer of the API server to a KubeError. */
export function kubeErrorFromResponse(
  res: { status: number; body?: string; headers?: Record<string, string | string[] | undefined> },
  ctx: KubeErrorContext,
): KubeError {
  const st = parseStatus(res.body);
  const serverText = st?.message ? sanitizeServerMessage(st.message) : undefined;
  const retryAfterSeconds = parseRetryAfter(res.headers, st);
  const extra = { status: res.status, ...(st?.reason ? { reason: st.reason } : {}), ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) };
  const at = where(ctx);
  switch (res.status) {
    case 401:
      return new KubeError("unauthorized", `The API server of ${at} rejected our credentials (401 Unauthorized). The kubeconfig token or certificate is missing, expired or revoked.`, ctx, extra);
    case 403:
      return new KubeError("forbidden", `Not allowed on ${at}: ${serverText ?? "403 Forbidden"}`, ctx, extra);
    case 404:
      return new KubeError("not_found", `Not found on ${at}: ${serverText ?? `${ctx.object ?? "the resource"} does not exist`}`, ctx, extra);
    case 409:
      if (st?.reason === "AlreadyExists") return new KubeError("already_exists", `Already exists on ${at}: ${serverText ?? ctx.object ?? "the object"}`, ctx, extra);
      return new KubeError("conflict", `Conflict on ${at}: ${serverText ?? "the object was changed by someone else"}. Re-read and try again.`, ctx, extra);
    case 410:
      return new KubeError("conflict", `The list on ${at} changed while it was being paged (410 Expired). Read it again.`, ctx, extra);
    case 400:
    case 405:
    case 406:
    case 413:
    case 415:
    case 422: {
      const causes = (st?.details?.causes ?? []).map((c) => sanitizeServerMessage(`${c.field ?? ""}${c.field ? ": " : ""}${c.message ?? c.reason ?? ""}`));
      const detail = serverText ?? `HTTP ${res.status}`;
      return new KubeError("invalid", `Rejected as invalid by ${at}: ${detail}${causes.length > 0 && !serverText ? ` (${causes.join("; ")})` : ""}`, ctx, extra);
    }
    case 429:
      return new KubeError(
        "rate_limited",
        `The API server of ${at} is rate limiting us (429 Too Many Requests)${retryAfterSeconds !== undefined ? `; it asked to retry after ${retryAfterSeconds}s` : ""}.`,
        ctx,
        extra,
      );
    case 504:
      return new KubeError("timeout", `The API server of ${at} timed out answering (504).`, ctx, extra);
    default:
      if (res.status >= 500) {
        return new KubeError("unavailable", `The API server of ${at} failed (${res.status}${st?.reason ? ` ${st.reason}` : ""})${serverText ? `: ${serverText}` : ""}.`, ctx, extra);
      }
      return new KubeError("invalid", `Unexpected answer ${res.status} from ${at}${serverText ? `: ${serverText}` : ""}.`, ctx, extra);
  }
}

const TLS_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_SIGNATURE_FAILURE",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "EPROTO",
]);

/** Maps a transport failure (no HTTP answer) to a KubeError. */
export function kubeErrorFromNetwork(err: unknown, ctx: KubeErrorContext, server: string, timeoutMs?: number): KubeError {
  const e = err as { code?: string; message?: string; name?: string };
  const code = e?.code ?? "";
  const at = where(ctx);
  if (code === "ETIMEDOUT" || code === "ERR_KUBE_TIMEOUT" || e?.name === "AbortError") {
    return new KubeError("timeout", `No answer from the API server of ${at} (${server}) within ${timeoutMs ?? "the allowed"} ms.`, ctx);
  }
  if (TLS_CODES.has(code) || code.startsWith("ERR_SSL_") || code.startsWith("ERR_TLS_")) {
    return new KubeError(
      "tls_error",
      `The TLS certificate of ${server} (${at}) could not be verified (${code}). Check the kubeconfig's certificate-authority data for this cluster.`,
      ctx,
    );
  }
  const reason =
    code === "ECONNREFUSED" ? "connection refused" : code === "ENOTFOUND" || code === "EAI_AGAIN" ? "host name not found" : code === "ECONNRESET" ? "connection reset" : code || "network error";
  return new KubeError("unavailable", `Cannot reach the API server of ${at} at ${server} (${reason}).`, ctx);
}
