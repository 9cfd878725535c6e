import type { CountedState } from "@/lib/coverage/types";
import type { HostClass } from "@/lib/registry/domains";

/**
 * The coverage matrix as sent to the browser: lean on purpose (a 2,000-namespace
 * cluster must not ship its inventory). Each row is a tuple and each cell two
 * characters (state code, verification code); label pairs are interned. Pure
 * types and constants: safe to import from client components.
 */

/** A cell's counted state (lib/coverage `countedState`): `M` is a missing registry the namespace needs, `N` one it does not. */
export const STATE_CODES: Readonly<Record<CountedState, string>> = { covered: "C", not_attached: "A", legacy_only: "L", rejected: "R", missing: "M", not_needed: "N" };
export const STATE_BY_CODE: Readonly<Record<string, CountedState>> = { C: "covered", A: "not_attached", L: "legacy_only", R: "rejected", M: "missing", N: "not_needed" };

/** What is known about the credentials behind a cell: `valid` (one verified valid), `rejected`, `unreachable` (or TLS failure), `unknown`. */
export type CellVerification = "valid" | "rejected" | "unreachable" | "unknown";
export const VERIFICATION_CODES: Readonly<Record<CellVerification, string>> = { valid: "v", rejected: "r", unreachable: "u", unknown: "-" };
export const VERIFICATION_BY_CODE: Readonly<Record<string, CellVerification>> = { v: "valid", r: "rejected", u: "unreachable", "-": "unknown" };

/** Set by Kubernetes on every namespace to its name; left out of the payload and restored on decode. */
export const NAME_LABEL = "kubernetes.io/metadata.name";

export interface MatrixDomain {
  registry: string;
  group: HostClass;
  /** IBM Cloud region for icr.io and legacy domains. */
  region: string | null;
  /** The icr.io successor of a discontinued domain. */
  successor: string | null;
}

export type MatrixRowTuple = [
  namespace: string,
  /** Two characters per domain, in `domains` order. */
  cells: string,
  /** Indexes into `labelPairs`. */
  labels: number[],
  atRisk: number,
  dangling: number,
  stale: number,
  restart: number,
  /** 1 when the namespace has no `default` service account. */
  noDefaultServiceAccount: 0 | 1,
];

export interface MatrixPayload {
  cluster: string;
  scannedAt: string;
  domains: MatrixDomain[];
  /** `key=value` strings referenced by rows. */
  labelPairs: string[];
  rows: MatrixRowTuple[];
}
