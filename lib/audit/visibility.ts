import type { OperationFilter, OperationRecord } from "./port";

/** The audit log a user may see: everything, or only operations on the clusters they are limited to. */
export function scopeFilterTo(user: { clusters: string[] | null }, filter: OperationFilter): OperationFilter {
  return user.clusters === null ? filter : { ...filter, clusters: user.clusters };
}

export function mayView(user: { clusters: string[] | null }, operation: Pick<OperationRecord, "cluster">): boolean {
  return user.clusters === null || (operation.cluster !== null && user.clusters.includes(operation.cluster));
}
