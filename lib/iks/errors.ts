import { PullkeeperError } from "@/lib/errors";

/**
 * The one error type of lib/iks: the IAM token exchange that keeps cluster access
 * alive and the IBM Cloud Kubernetes Service API. Messages are for the operator and
 * never contain an API key, an access token or a refresh token.
 */
export type IksErrorKind = "unauthorized" | "forbidden" | "not_found" | "rate_limited" | "unavailable" | "invalid";

export type IksOperation = "iam_token" | "list_clusters" | "get_kubeconfig" | "list_tags";

export class IksError extends PullkeeperError {
  override readonly name = "IksError";
  declare readonly kind: IksErrorKind;
  readonly operation: IksOperation;
  readonly status: number | undefined;
  /** IBM's error code (`BXNIM0415E`, `E0035`, …): safe to show, useful in a support case. */
  readonly ibmCode: string | undefined;

  constructor(init: { kind: IksErrorKind; operation: IksOperation; message: string; status?: number; ibmCode?: string; cluster?: string; retryAfterSeconds?: number; cause?: unknown }) {
    super("iks", init.kind, init.message, {
      ...(init.cluster ? { context: { cluster: init.cluster } } : {}),
      ...(init.retryAfterSeconds !== undefined ? { retryAfterSeconds: init.retryAfterSeconds } : {}),
      ...(init.cause !== undefined ? { cause: init.cause } : {}),
    });
    this.operation = init.operation;
    this.status = init.status;
    this.ibmCode = init.ibmCode;
  }
}

export function isIksError(error: unknown): error is IksError {
  return error instanceof IksError;
}

/** A 5xx, 429 or network failure: the other side may answer later. */
export function kindForStatus(status: number): IksErrorKind {
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "unavailable";
  return "invalid";
}
