/**
 * The one error type of lib/iam, and the pure mapping from what IBM's SDK
 * throws (`status`, `result` = parsed IBM error body, `headers`) to it.
 * Messages are for the operator who has to fix the cause; none ever contains an
 * API key or token (see {@link redactSecrets}).
 */

import { isPullkeeperError, PullkeeperError, type PullkeeperErrorLike } from "@/lib/errors";

export type IamErrorKind = "unauthorized" | "forbidden" | "conflict" | "not_found" | "rate_limited" | "unavailable" | "invalid";

export type IamOperation =
  | "authenticate"
  | "list_service_ids"
  | "create_service_id"
  | "delete_service_id"
  | "list_policies"
  | "create_policy"
  | "delete_policy"
  | "list_api_keys"
  | "get_api_key_details"
  | "get_service_id"
  | "create_api_key"
  | "delete_api_key"
  | "lock_api_key"
  | "unlock_api_key";

// A type, not an interface, so that it fits the base error's open context.
export type IamErrorContext = {
  accountId?: string;
  serviceIdName?: string;
  serviceId?: string;
  serviceIamId?: string;
  policyId?: string;
  apiKeyId?: string;
  region?: string;
};

export class IamError extends PullkeeperError {
  override readonly name = "IamError";
  declare readonly kind: IamErrorKind;
  readonly operation: IamOperation;
  readonly status: number | undefined;
  /** IBM's error code (`BXNIM0415E`, `policy_conflict_error`, …). */
  readonly ibmCode: string | undefined;
  /** IBM's trace / request id, for a support case. */
  readonly requestId: string | undefined;
  declare readonly context: IamErrorContext;

  constructor(init: {
    kind: IamErrorKind;
    operation: IamOperation;
    message: string;
    status?: number;
    /** Seconds to wait before retrying, for `rate_limited`. */
    retryAfterSeconds?: number;
    ibmCode?: string;
    requestId?: string;
    context?: IamErrorContext;
  }) {
    super("iam", init.kind, init.message, { context: init.context ?? {}, ...(init.retryAfterSeconds !== undefined ? { retryAfterSeconds: init.retryAfterSeconds } : {}) });
    this.operation = init.operation;
    this.status = init.status;
    this.ibmCode = init.ibmCode;
    this.requestId = init.requestId;
  }

  /** A plain, serialisable view for DTOs and logs. */
  toJSON() {
    return {
      name: this.name,
      kind: this.kind,
      operation: this.operation,
      message: this.message,
      status: this.status,
      retryAfterSeconds: this.retryAfterSeconds,
      ibmCode: this.ibmCode,
      requestId: this.requestId,
      context: this.context,
    };
  }
}

/** A failure of the IAM adapter (optionally of one kind), recognised by its fields whichever bundle made it. */
export function isIamError(e: unknown, kind?: IamErrorKind): e is IamError & PullkeeperErrorLike {
  return isPullkeeperError(e, "iam", kind);
}

const OPERATION_TEXT: Record<IamOperation, string> = {
  authenticate: "exchange the API key for an IAM token",
  list_service_ids: "list service IDs",
  create_service_id: "create a service ID",
  delete_service_id: "delete a service ID",
  list_policies: "list access policies",
  create_policy: "create an access policy on Container Registry",
  delete_policy: "delete an access policy",
  list_api_keys: "list API keys",
  create_api_key: "create an API key for a service ID",
  delete_api_key: "delete an API key",
  lock_api_key: "lock an API key",
  unlock_api_key: "unlock an API key",
  get_api_key_details: "look up who owns an API key",
  get_service_id: "read a service ID",
};

/** The role an operator must grant to the identity behind Pullkeeper's API key, per operation. */
export const REQUIRED_PERMISSION: Record<IamOperation, string> = {
  authenticate: "a valid, enabled API key",
  list_service_ids: "the Viewer platform role (or higher) on the IAM Identity Service (iam-identity)",
  create_service_id:
    "the Operator, Editor or Administrator platform role on the IAM Identity Service (iam-identity), or its Service ID creator role if the account restricts service ID creation",
  delete_service_id: "the Operator, Editor or Administrator platform role on the IAM Identity Service (iam-identity)",
  list_policies: "permission to view access policies in the account (Viewer on IAM Access Management, or Administrator on container-registry)",
  create_policy: "the Administrator platform role on Container Registry (container-registry), which is what allows assigning access to it",
  delete_policy: "the Administrator platform role on Container Registry (container-registry)",
  list_api_keys: "the Viewer platform role (or higher) on the IAM Identity Service (iam-identity)",
  create_api_key: "the Operator, Editor or Administrator platform role on the IAM Identity Service (iam-identity)",
  delete_api_key: "the Operator, Editor or Administrator platform role on the IAM Identity Service (iam-identity)",
  lock_api_key: "the Operator, Editor or Administrator platform role on the IAM Identity Service (iam-identity)",
  unlock_api_key: "the Operator, Editor or Administrator platform role on the IAM Identity Service (iam-identity)",
  get_api_key_details: "the Viewer platform role (or higher) on the IAM Identity Service (iam-identity) in the key's account",
  get_service_id: "the Viewer platform role (or higher) on the IAM Identity Service (iam-identity)",
};

/** Replaces every occurrence of each secret with `[redacted]`; secrets shorter than 8 characters are ignored. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length >= 8) out = out.split(s).join("[redacted]");
  }
  return out;
}

interface SdkErrorShape {
  status?: unknown;
  statusText?: unknown;
  message?: unknown;
  code?: unknown;
  result?: unknown;
  body?: unknown;
  headers?: unknown;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function parseBody(err: SdkErrorShape): Record<string, unknown> | undefined {
  const result = asObject(err.result);
  if (result) return result;
  if (typeof err.body === "string") {
    try {
      return asObject(JSON.parse(err.body));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Reads IBM's two error shapes: `{errors:[{code,message}], trace}` and legacy `{errorCode, errorMessage, context}`. */
export function readIbmErrorBody(body: Record<string, unknown> | undefined): { code?: string; message?: string; requestId?: string } {
  if (!body) return {};
  const first = Array.isArray(body.errors) ? asObject(body.errors[0]) : undefined;
  const context = asObject(body.context);
  const code = (typeof first?.code === "string" ? first.code : undefined) ?? (typeof body.errorCode === "string" ? body.errorCode : undefined);
  const messageCode = typeof first?.message_code === "string" ? first.message_code : undefined;
  const message = (typeof first?.message === "string" ? first.message : undefined) ?? (typeof body.errorMessage === "string" ? body.errorMessage : undefined);
  const requestId =
    (typeof body.trace === "string" ? body.trace : undefined) ?? (typeof context?.requestId === "string" ? context.requestId : undefined);
  return {
    ...(code !== undefined ? { code: messageCode && code !== messageCode ? `${code} (${messageCode})` : code } : {}),
    ...(message !== undefined ? { message } : {}),
    ...(requestId !== undefined ? { requestId } : {}),
  };
}

/** Retry-After is seconds or an HTTP date; returns whole seconds, at least 1. */
export function parseRetryAfter(value: unknown, now: Date = new Date()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw === "number" && Number.isFinite(raw)) return Math.max(1, Math.ceil(raw));
  if (typeof raw !== "string" || raw.trim() === "") return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(1, Math.ceil(seconds));
  const date = Date.parse(raw);
  if (Number.isNaN(date)) return undefined;
  return Math.max(1, Math.ceil((date - now.getTime()) / 1000));
}

function headerValue(headers: unknown, name: string): unknown {
  const h = asObject(headers);
  if (!h) return undefined;
  const key = Object.keys(h).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : h[key];
}

export interface MapContext {
  operation: IamOperation;
  /** Where IAM was being reached, for unreachable messages (a URL without credentials). */
  endpoint: string;
  timeoutMs: number;
  context?: IamErrorContext;
  /** Values that must never appear in the message (the configured API key). */
  secrets: readonly string[];
}

/** Maps anything the SDK (or the network under it) throws to an {@link IamError}. */
export function mapSdkError(error: unknown, m: MapContext): IamError {
  if (isIamError(error)) return error;
  const err = (asObject(error) ?? {}) as SdkErrorShape;
  const status = typeof err.status === "number" ? err.status : undefined;
  const body = parseBody(err);
  // IBM bodies are quoted into messages and fields; a server that echoes the key must not leak it through them.
  const ibm = Object.fromEntries(Object.entries(readIbmErrorBody(body)).map(([k, v]) => [k, redactSecrets(v, m.secrets)])) as ReturnType<typeof readIbmErrorBody>;
  const what = OPERATION_TEXT[m.operation];
  const ibmSuffix = [ibm.code, ibm.requestId ? `request ${ibm.requestId}` : undefined].filter(Boolean).join(", ");
  const detail = ibm.message ? `: ${ibm.message.replace(/[.\s]+$/, "")}` : "";
  const tail = ibmSuffix ? ` [${ibmSuffix}]` : "";
  const base = { operation: m.operation, ...(status !== undefined ? { status } : {}), ...(ibm.code ? { ibmCode: ibm.code } : {}), ...(ibm.requestId ? { requestId: ibm.requestId } : {}), context: m.context ?? {} };
  const make = (kind: IamErrorKind, message: string, extra: { retryAfterSeconds?: number } = {}) =>
    new IamError({ ...base, ...extra, kind, message: redactSecrets(message, m.secrets) });

  if (status === undefined) {
    const raw = typeof err.message === "string" ? err.message : String(error);
    const code = typeof err.statusText === "string" ? err.statusText : typeof err.code === "string" ? err.code : "";
    if (/timeout|ECONNABORTED|ETIMEDOUT/i.test(`${raw} ${code}`)) {
      return make("unavailable", `Could not ${what}: IBM Cloud IAM at ${m.endpoint} did not answer within ${m.timeoutMs} ms (timed out after ${m.timeoutMs} ms).`);
    }
    if (/certificate|SSL|TLS|CERT_/i.test(`${raw} ${code}`)) {
      return make("unavailable", `Could not ${what}: the TLS certificate of ${m.endpoint} is not trusted (${raw}).`);
    }
    return make("unavailable", `Could not ${what}: IBM Cloud IAM at ${m.endpoint} is unreachable (${code || raw}). Check the endpoint configuration and network access.`);
  }
  if (m.operation === "authenticate" && (status === 400 || status === 401)) {
    const why = ibm.code?.startsWith("BXNIM0415E") ? "IAM does not know this API key (deleted, disabled or mistyped)" : `IAM refused the API key${detail}`;
    return make("unauthorized", `Could not ${what}: ${why}. Configure a valid IBM Cloud API key for Pullkeeper.${tail}`);
  }
  if (status === 401) {
    return make("unauthorized", `Could not ${what}: IBM Cloud IAM did not accept Pullkeeper's access token; the API key may have been deleted since it was issued.${tail}`);
  }
  if (status === 403) {
    return make("forbidden", `Could not ${what}: the identity behind Pullkeeper's API key lacks permission. Grant it ${REQUIRED_PERMISSION[m.operation]}.${tail}`);
  }
  if (status === 404) return make("not_found", `Could not ${what}: not found${detail}.${tail}`);
  if (status === 409 || status === 412) return make("conflict", `Could not ${what}: conflict${detail}.${tail}`);
  if (status === 429) {
    const retryAfterSeconds = parseRetryAfter(headerValue(err.headers, "retry-after"));
    const wait = retryAfterSeconds !== undefined ? ` Retry after ${retryAfterSeconds} s.` : " Retry later.";
    return make("rate_limited", `Could not ${what}: IBM Cloud IAM is rate limiting requests.${wait}${tail}`, retryAfterSeconds !== undefined ? { retryAfterSeconds } : {});
  }
  if (status >= 500) return make("unavailable", `Could not ${what}: IBM Cloud IAM answered HTTP ${status}${detail}. This is usually temporary; retry later.${tail}`);
  return make("invalid", `Could not ${what}: IBM Cloud IAM rejected the request (HTTP ${status})${detail}.${tail}`);
}
