import type { MatrixPayload } from "./matrix";

/** A small matrix for the matrix model's and matrix query's unit tests: four namespaces, two live domains and a legacy one. */
export const SAMPLE_MATRIX: MatrixPayload = {
  cluster: "regional",
  scannedAt: "2025-01-01T00:00:00Z",
  domains: [
    { registry: "us.icr.io", group: "icr", region: "us-south", successor: null },
    { registry: "de.icr.io", group: "icr", region: "eu-de", successor: null },
    { registry: "registry.ng.bluemix.net", group: "legacy-icr", region: "us-south", successor: "us.icr.io" },
  ],
  labelPairs: ["team=web", "env=prod", "env=dev", "team=data"],
  rows: [
    ["web-prod", "CvC-M-", [0, 1], 0, 0, 0, 0, 0],
    ["web-dev", "A-M-M-", [0, 2], 2, 1, 0, 0, 0],
    ["data", "M-M-L-", [3, 1], 1, 0, 1, 1, 1],
    ["sandbox", "M-M-M-", [], 0, 0, 0, 0, 0],
  ],
};
