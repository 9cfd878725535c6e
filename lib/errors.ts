/**
 * The one error type of Pullkeeper. Every module's failures (the cluster, IBM
 * Cloud IAM, the audit store, access control, user input, workflows) are a
 * PullkeeperError with a kind from one closed list, the context they happened
 * in, and whether repeating the request is safe. Messages are written for the
 * operator who reads them and never carry a credential.
 *
 * Errors are recognised by their `brand` and `kind`, never by `instanceof`: the
 * instrumentation bundle and the app bundle each load their own copy of this
 * module, so an error made by a service the other bundle built is not an
 * instance of this bundle's class.
 */

export const ERROR_KINDS = [
  "not_found",
  "forbidden",
  "unauthorized",
  "conflict",
  "already_exists",
  "invalid",
  "invalid_transition",
  "rate_limited",
  "unavailable",
  "timeout",
  "tls_error",
  "stale_plan",
  "rejected",
  "not_configured",
  "precondition_failed",
  "cancelled",
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** The module that raised the error. `config` errors stop the server at start; their text is for the server log only. */
export const ERROR_SOURCES = ["kube", "iam", "iks", "clusters", "registry", "audit", "auth", "workflow", "action", "config"] as const;
export type ErrorSource = (typeof ERROR_SOURCES)[number];

/** Where it happened, for messages and logs; none of it is secret. Modules add their own keys (an IAM account, a service ID). */
export interface ErrorContext {
  cluster?: string;
  namespace?: string;
  /** `resource/name` or `resource` (e.g. `secrets/all-icr-io`, `serviceaccounts`). */
  object?: string;
  [detail: string]: string | undefined;
}

export interface PullkeeperErrorOptions {
  context?: ErrorContext;
  /** Overrides the kind's default (see {@link isTransientKind}). */
  transient?: boolean;
  /** Seconds the other side asked us to wait (429, some 5xx). */
  retryAfterSeconds?: number;
  /** Field-level problems a form shows next to its inputs. */
  fieldErrors?: Record<string, string[]>;
  cause?: unknown;
}

const BRAND = "pullkeeper-error";
const KINDS: ReadonlySet<string> = new Set(ERROR_KINDS);
const SOURCES: ReadonlySet<string> = new Set(ERROR_SOURCES);

/** Kinds where the request was not processed, so repeating it cannot duplicate anything. */
export function isTransientKind(kind: ErrorKind): boolean {
  return kind === "rate_limited" || kind === "unavailable" || kind === "timeout";
}

export class PullkeeperError extends Error {
  /** Marks a Pullkeeper error across bundles (see the module comment). */
  readonly brand = BRAND;
  readonly kind: ErrorKind;
  readonly source: ErrorSource;
  readonly context: ErrorContext;
  /** Safe to retry: the request was not processed, or repeating it cannot duplicate anything. */
  readonly transient: boolean;
  readonly retryAfterSeconds?: number;
  readonly fieldErrors?: Record<string, string[]>;

  constructor(source: ErrorSource, kind: ErrorKind, message: string, options: PullkeeperErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "PullkeeperError";
    this.source = source;
    this.kind = kind;
    this.context = options.context ?? {};
    this.transient = options.transient ?? isTransientKind(kind);
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
    if (options.fieldErrors !== undefined) this.fieldErrors = options.fieldErrors;
  }
}

/** What the classifier relies on: the fields of a PullkeeperError, whichever copy of the class made it. */
export type PullkeeperErrorLike = Pick<PullkeeperError, "brand" | "kind" | "source" | "message" | "transient"> &
  Partial<Pick<PullkeeperError, "context" | "retryAfterSeconds" | "fieldErrors">>;

/** True for a Pullkeeper error from any bundle (optionally of one source and kind), by its fields, not its class. */
export function isPullkeeperError(error: unknown, source?: ErrorSource, kind?: ErrorKind): error is PullkeeperErrorLike {
  if (typeof error !== "object" || error === null) return false;
  const e = error as Record<string, unknown>;
  return (
    e.brand === BRAND &&
    typeof e.kind === "string" &&
    KINDS.has(e.kind) &&
    typeof e.source === "string" &&
    SOURCES.has(e.source) &&
    typeof e.message === "string" &&
    typeof e.transient === "boolean" &&
    (source === undefined || e.source === source) &&
    (kind === undefined || e.kind === kind)
  );
}

export interface DescribedError {
  kind: ErrorKind | "internal";
  message: string;
  retryAfterSeconds?: number;
  /** Safe to retry: the request was not processed, or repeating it cannot duplicate anything. */
  transient: boolean;
  fieldErrors?: Record<string, string[]>;
}

export const INTERNAL_ERROR_MESSAGE = "An unexpected error stopped this step; the server log has the details.";

/**
 * The one mapping from a failure to what the operator is shown and the audit
 * log records. A failure that is not a Pullkeeper error (a bug, a library's
 * error) may carry anything in its message, so it is never shown or stored;
 * neither is a configuration error, whose text is for the server log.
 */
export function describeError(error: unknown): DescribedError {
  if (!isPullkeeperError(error) || error.source === "config") {
    return { kind: "internal", message: INTERNAL_ERROR_MESSAGE, transient: false };
  }
  return {
    kind: error.kind,
    message: error.message,
    transient: error.transient,
    ...(typeof error.retryAfterSeconds === "number" ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    ...(error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}),
  };
}
