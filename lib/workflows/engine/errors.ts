import { IamError } from "@/lib/iam/errors";
import { KubeError } from "@/lib/kube/errors";

/** A workflow-level failure with an operator-readable message (no credential ever). */
export class WorkflowError extends Error {
  constructor(
    readonly kind: "invalid" | "stale_plan" | "rejected" | "not_configured" | "precondition_failed" | "cancelled",
    message: string,
  ) {
    super(message);
    this.name = "WorkflowError";
  }
}

export interface DescribedError {
  kind: string;
  message: string;
  retryAfterSeconds?: number;
  /** Safe to retry: the request was not processed, or repeating it cannot duplicate anything. */
  transient: boolean;
}

/** Turns any failure into the kind + message recorded in the audit log and shown to the operator. */
export function describeError(error: unknown): DescribedError {
  if (error instanceof KubeError) {
    return {
      kind: error.kind,
      message: error.message,
      retryAfterSeconds: error.retryAfterSeconds,
      transient: ["rate_limited", "unavailable", "timeout", "conflict"].includes(error.kind),
    };
  }
  if (error instanceof IamError) {
    return {
      kind: error.kind,
      message: error.message,
      retryAfterSeconds: error.retryAfterSeconds,
      transient: error.kind === "rate_limited" || error.kind === "unavailable",
    };
  }
  if (error instanceof WorkflowError) return { kind: error.kind, message: error.message, transient: false };
  // Unknown errors may carry anything in their message; never show or store it.
  return { kind: "internal", message: "An unexpected error stopped this step; the server log has the details.", transient: false };
}
