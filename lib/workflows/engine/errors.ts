import { PullkeeperError } from "@/lib/errors";

export { describeError, type DescribedError } from "@/lib/errors";

/** A workflow-level failure with an operator-readable message (no credential ever). */
export class WorkflowError extends PullkeeperError {
  declare readonly kind: "invalid" | "stale_plan" | "rejected" | "not_configured" | "precondition_failed" | "cancelled";

  constructor(kind: WorkflowError["kind"], message: string) {
    super("workflow", kind, message);
    this.name = "WorkflowError";
  }
}
