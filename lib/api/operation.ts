/** An API key a run created and could not hand to any secret: named, never its value (lib/workflows/shared/api-key-ledger.ts). */
export interface ApiKeyLeftBehindView {
  apiKeyId: string;
  name: string;
  fingerprint: string | null;
}

/** Body of `GET /api/operations/{id}`: the progress view polls it while a workflow runs. */
export interface OperationProgressView {
  id: string;
  kind: string;
  status: string;
  summary: string | null;
  counts: { total: number; succeeded: number; failed: number; skipped: number };
  cancellable: boolean;
  steps: Array<{
    sequence: number;
    action: string;
    target: { kind: string; namespace?: string; name: string } | null;
    outcome: string;
    error: { kind: string; message: string } | null;
    /** Why a step was skipped or refused, as the plan or the engine said it. */
    reason: string | null;
    durationMs: number | null;
  }>;
  /** Keys this run created that no secret holds, once it ended without finishing; a re-run or undo deletes them. */
  apiKeysLeftBehind: ApiKeyLeftBehindView[];
}
