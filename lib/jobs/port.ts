/**
 * The job queue's port: durable background work that any replica may pick up.
 * Two adapters: pg-boss on PostgreSQL (pg-boss-queue.ts) and, for the embedded
 * SQLite default (one process), a table polled in-process (local-queue.ts).
 * Both give the same guarantees to a handler: a job runs again after its
 * process died (on another replica, or on the restarted one), so a handler
 * must be safe to repeat; at most one job per singleton key waits and one runs.
 */

/** Every queue Pullkeeper uses, with what its jobs carry. Payloads never hold a credential. */
export interface QueuePayloads {
  /** Runs (a chunk of) one workflow run; the run's plan and sealed credentials are in its WorkflowRun row. */
  "workflow-run": { operationId: string };
  /** Sends one webhook delivery (lib/notifications/job-dispatch.ts). */
  "webhook-delivery": { deliveryId: string };
  /** Re-checks every pull-secret credential of every cluster against its registry (on a schedule). */
  "verification-sweep": Record<string, never>;
  /** Evaluates one keeping rule on one cluster (and, in enforce mode, queues its fix as a workflow run). One per rule and cluster at a time. */
  "rule-evaluation": { ruleId: string; cluster: string };
  /** Queues an evaluation of every active rule on every cluster it applies to (the safety net behind the watches, on a schedule). */
  "rule-sweep": Record<string, never>;
  /** Evaluates every IBM Cloud account's join rules: clusters new in a rule's resource group or with its tag are added (on a schedule). */
  "cluster-join-rules": Record<string, never>;
}

export type QueueName = keyof QueuePayloads;

/** Queues whose jobs carry nothing and may run on a cron schedule. */
export type ScheduledQueue = "verification-sweep" | "rule-sweep" | "cluster-join-rules";

export const QUEUE_NAMES = ["workflow-run", "webhook-delivery", "verification-sweep", "rule-evaluation", "rule-sweep", "cluster-join-rules"] as const satisfies readonly QueueName[];

export interface SendOptions {
  /**
   * At most one job with this key waits and one runs per queue: a second
   * send while one waits is dropped (send answers null).
   */
  singletonKey?: string;
  /** Not before this many seconds from now. */
  startAfterSeconds?: number;
  /** Attempts after the first one when the handler throws (or its process died). Default 0 — the handler decides. */
  retryLimit?: number;
  /** Seconds before a retry; doubled per attempt with `retryBackoff`. */
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
}

export interface Job<Q extends QueueName> {
  id: string;
  queue: Q;
  data: QueuePayloads[Q];
  /** 0 on the first attempt. */
  retryCount: number;
}

export type JobHandler<Q extends QueueName> = (job: Job<Q>) => Promise<void>;

export interface WorkOptions {
  /** Jobs of this queue run at once in this process. Default 1. */
  concurrency?: number;
}

/** Waiting and running jobs of one queue, and how long the oldest has waited. */
export interface QueueDepth {
  queue: QueueName;
  waiting: number;
  active: number;
  oldestWaitingSeconds: number;
}

export interface JobQueue {
  /** "pg-boss" or "local": shown on the health page and in logs. */
  readonly engine: "pg-boss" | "local";
  send<Q extends QueueName>(queue: Q, data: QueuePayloads[Q], options?: SendOptions): Promise<string | null>;
  /** Starts taking jobs of a queue in this process. A payload that fails `validate` is failed without retry. */
  work<Q extends QueueName>(queue: Q, handler: JobHandler<Q>, options?: WorkOptions): Promise<void>;
  /** A job on a cron schedule (UTC), created once per slot across replicas. */
  schedule(queue: ScheduledQueue, cron: string): Promise<void>;
  depth(): Promise<QueueDepth[]>;
  /**
   * Stops taking jobs and waits up to `timeoutMs` for running handlers. A
   * handler still running at the deadline is left to the engine: its job runs
   * again elsewhere (pg-boss: once expired; local: on the next start).
   */
  stop(timeoutMs: number): Promise<void>;
}
