import type { FleetRow } from "./fleet";
import type { CoverageCellView } from "./namespace";
import type { PullGroup } from "@/lib/pulls/types";

/** GET /api/clusters/[cluster]/namespaces/[namespace]: one matrix row's details for the side panel. */
export interface NamespaceCoverageResponse {
  cluster: string;
  namespace: string;
  scannedAt: string;
  hasDefaultServiceAccount: boolean;
  coverage: CoverageCellView[];
  /** The namespace's failing and latent pulls (the panel shows those of its registry). */
  pulls: PullGroup[];
}

/** The media type of GET /api/clusters sending each row as its cluster answers: one FleetRow as JSON a line. */
export const FLEET_ROWS_NDJSON = "application/x-ndjson";

/** GET /api/clusters and POST /api/clusters/[cluster]/scan. */
export interface FleetResponse {
  clusters: FleetRow[];
}
export interface ScanResponse {
  cluster: FleetRow;
}

/** Error bodies of these routes (withUser's 401/403 use the same shape). */
export interface ApiErrorBody {
  error: string;
  kind: string;
}
