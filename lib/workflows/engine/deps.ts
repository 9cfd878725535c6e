import type { AuditStore } from "@/lib/audit/port";
import type { IamPort } from "@/lib/iam/port";
import type { KubeGateway } from "@/lib/kube/port";
import type { PodFollowTiming } from "../shared/follow-pods";
import type { PreviewedPlans } from "./previewed-plans";
import type { RunStateStore } from "./run-state";

export interface RegistryVerification {
  domain: string;
  result: "valid" | "rejected" | "unreachable" | "tls_error";
  latencyMs: number;
  detail: string;
  /** Filled by lib/registry-check; the engine derives them from the credential when a verifier leaves them out. */
  username?: string;
  fingerprint?: string;
  checkedAt?: string;
  credentialTested?: boolean;
}

/** Checks one credential against a registry's own token endpoint (lib/registry-check). */
export type RegistryVerifier = (input: { domain: string; username: string; password: string }) => Promise<RegistryVerification>;

/** The ports a workflow runs on. Built once per request by lib/server/ports.ts; fakes or simulators in tests. */
export interface WorkflowDeps {
  kube: KubeGateway;
  /** Null when no IBMCLOUD_API_KEY is configured: IAM steps are then refused in the plan. */
  iam: IamPort | null;
  verifyRegistry: RegistryVerifier;
  /**
   * Why a registry domain's endpoint may not be contacted (loopback, private, metadata… not
   * allow-listed; lib/net/outbound), or undefined. Absent in fakes: nothing is refused.
   */
  registryRefusal?: (domain: string) => Promise<string | undefined>;
  audit: AuditStore;
  /**
   * Where open runs are kept between chunks, so any replica can finish one
   * (the WorkflowRun table on the server). Absent in tests and scripts: runs
   * are then held in memory by the process that applies them.
   */
  runs?: RunStateStore;
  /** Hands an opened run to the job queue (any replica runs it). Absent: startWorkflow runs it in this process. */
  runQueue?: RunQueue;
  /** Concurrent steps within a stage (the API server also sees the adapter's own per-cluster limit). */
  concurrency: number;
  /** The plans this process previewed, so apply runs the previewed plan (held by the composition root); without it apply always plans again. */
  previews?: PreviewedPlans;
  now?: () => Date;
  /** How long a `deployment.follow_pods` step waits and polls (default: 2 minutes, every 2 s; 15 s for a first new pod). */
  podFollow?: PodFollowTiming;
  /** Told what the audit log does not record: a step repeated after a transient failure (metrics). */
  observer?: { stepRetried(action: string): void };
}

export interface RunQueue {
  enqueue(operationId: string): Promise<void>;
}

export interface Actor {
  email: string;
  role: string;
}

/**
 * Credentials an operator typed into a form for this run only (a private
 * registry's password). Held in memory for the run, never planned, stored or logged.
 */
export interface RunSecrets {
  privateRegistry?: { server: string; username: string; password: string; email: string };
}
