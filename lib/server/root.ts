import "server-only";
import type { SignInAuditSink } from "@/lib/auth/sign-in-event";
import { composeAuthService, type AuthService } from "@/lib/auth/compose";
import { authConfigFromEnv } from "@/lib/auth/config";
import { createRateLimiter, type RateLimiter } from "@/lib/auth/rate-limit";
import type { DatabaseConnection } from "@/lib/db/client";
import { openConfiguredDatabase } from "@/lib/db/open";
import { env } from "@/lib/env";
import { logger } from "@/lib/log";
import { createPullkeeperMetrics, type PullkeeperMetrics } from "@/lib/metrics/metrics";
import type { NotificationEvent } from "@/lib/notifications/events";
import type { Notifications } from "@/lib/notifications/service";
import { createClusterScanCache, type ClusterScan } from "@/lib/queries/cluster-scan";
import { createScanSnapshotStore, createSnapshotSaver, type SnapshotSaver } from "@/lib/queries/scan-snapshots";
import type { ScanCache } from "@/lib/queries/scan-cache";
import { credentialFactsReader, type CredentialFactsReader } from "@/lib/queries/credential-facts";
import { ruleRequirements } from "@/lib/rules/requirements";
import { currentClusterLabels } from "@/lib/clusters/labels";
import { newPullFailureEvents } from "@/lib/pulls/notices";
import { createKeyIdentityStore, readKeyOwners, type KeyIdentityStore } from "@/lib/queries/key-identity-store";
import { createVerificationStore } from "@/lib/queries/verification-store";
import { createSyncedVerificationLog, type SyncedVerificationLog } from "@/lib/queries/verification-sync";
import { PreviewedPlans } from "@/lib/workflows/engine/previewed-plans";
import { notificationsFromEnv, rejectedCredentialEvent, safeNotify } from "./notifications";
import type { RunStateStore } from "@/lib/workflows/engine/run-state";
import type { JobQueue } from "@/lib/jobs/port";
import { createPrismaRunStateStore } from "@/lib/queries/run-state-store";
import { createSealedBox } from "@/lib/sealing/sealed-box";
import { resolveAuthSecret } from "@/lib/auth/secret";
import { openJobQueue } from "./job-queue";
import type { AuditStore } from "@/lib/audit/port";
import type { KubeWatcher } from "@/lib/kube/watch";
import { createRuleStore, ruleStatusSamples, type RuleStore } from "@/lib/rules/store";
import { createPrismaAuditStore } from "@/lib/audit/prisma-audit-store";
import { observedAuditStore } from "@/lib/metrics/observed-audit";
import { notifyingAuditStore } from "@/lib/notifications/audit-events";
import { createPorts, portsConfigFromEnv, type Ports } from "./ports";
import { createClusterStore, type ClusterStore } from "@/lib/clusters/store";
import { credentialCipherFromEnv } from "./credential-cipher";
import { deferredCredentialCipher } from "@/lib/sealing/credential-cipher";
import type { ClusterConnections } from "@/lib/clusters/connections";
import { openClusterConnections } from "./cluster-connections";

/**
 * The composition root: every object this server process shares, built here
 * and nowhere else, each on first use. Held in one globalThis slot because Next
 * bundles the instrumentation hook and the app as separate module graphs (and
 * reloads modules in dev): a module-level constant would exist once per graph,
 * giving the job workers one queue and the workflow actions another.
 */
export interface ServerRoot {
  /** Set after SIGTERM: new runs are refused, and `pause` tells running chunks to start no more steps. */
  shutdown: { draining: boolean; pause: AbortController };
  /**
   * Set while the background refresh gives every cluster something to show (restores the scans saved before the start,
   * scans the clusters without one, builds their views): epoch ms it began; null before and after. Readiness waits for
   * it (app/api/health/ready), at most `WARM_READINESS_LIMIT_MS` (lib/server/readiness.ts).
   */
  startup: { warmingSince: number | null };
  /** Open workflow runs (the WorkflowRun table), their credentials sealed under AUTH_SECRET. */
  runStates(): Promise<RunStateStore>;
  /** The job queue: pg-boss on PostgreSQL, the in-process queue on SQLite (lib/jobs). */
  jobs(): Promise<JobQueue>;
  /** The audit store over that database, reporting workflow runs to the metrics (one per process: it tracks runs in progress). */
  auditStore(): Promise<AuditStore>;
  /** The configured database, migrated once; a failed open is retried by the next caller. */
  database(): Promise<DatabaseConnection>;
  /** Access control over that database, recording sign-ins with `recordSignIn`; a failed build is retried by the next caller. */
  authService(recordSignIn: SignInAuditSink): Promise<AuthService>;
  /** Kubernetes gateway, IAM client and registry verifier; every check is saved to `verifications`. */
  ports(): Ports;
  /** The latest scan of each cluster (one scan at a time per cluster). */
  scans(): ScanCache<ClusterScan>;
  /** Registry verification results: in memory, saved to and synced from the database. */
  verifications(): SyncedVerificationLog;
  /** Who owns each IAM API key a registry check exercised, from IAM (saved on every check, read by the views). */
  keyIdentities(): Promise<KeyIdentityStore>;
  /** The workflow plans this process previewed, for apply to run (lib/workflows/engine/previewed-plans). */
  previews(): PreviewedPlans;
  /** The per-user limit on cluster rescans (per process, like the scan cache it protects). */
  scanLimiter(): RateLimiter;
  /** Per cluster: how often a namespace missing from the cached scan may cause a fresh scan (a typo URL cannot force scans). */
  missingNamespaceRescans(): RateLimiter;
  /** Saves each cluster's last successful scan for after a restart (the first at once, then at most once a minute per cluster); flushed at shutdown. */
  scanSnapshots: SnapshotSaver;
  /** The Prometheus registry and its recorders; the ports, scans and audit store report to it. */
  metrics(): PullkeeperMetrics;
  /** Webhook targets, deliveries and the sender (lib/notifications); started with the server so pending deliveries resume. */
  notifications(): Promise<Notifications>;
  /** Queues the event for every enabled target subscribed to it; never throws (failures are logged). */
  notify(event: NotificationEvent): Promise<void>;
  /** Keeping rules, their history, statuses and conflict decisions (lib/rules). */
  rules(): Promise<RuleStore>;
  /** Cluster connections: IBM Cloud accounts, stored clusters and join rules, credentials sealed (lib/clusters). */
  clusterStore(): Promise<ClusterStore>;
  /** The stored clusters joined to the gateway, with one IAM token keeper per account (lib/clusters/connections.ts). */
  clusterConnections(): Promise<ClusterConnections>;
  /** The cluster watches that wake keeping rules (lib/server/rule-keeping.ts), once started. */
  watcher: { current: KubeWatcher | null };
}

const SLOT = Symbol.for("pullkeeper.server-root");
/** A namespace newer than the cached scan is looked for in a fresh scan at most this often per cluster. */
const MISSING_NAMESPACE_RESCAN_MS = 30_000;

export function serverRoot(): ServerRoot {
  const holder = globalThis as { [SLOT]?: ServerRoot };
  holder[SLOT] ??= buildServerRoot();
  return holder[SLOT];
}

function buildServerRoot(): ServerRoot {
  const database = retryingOnce(openConfiguredDatabase);
  // Given by lib/auth/service.ts on first use: the audit trail reaches the database through this root, so importing it here would be a cycle.
  let signInAudit: SignInAuditSink = async () => {};
  const buildAuth = retryingOnce(async () => {
    const { prisma, provider } = await database();
    return composeAuthService({ config: authConfigFromEnv(env()), prisma, provider, signInAudit: (event) => signInAudit(event) });
  });
  const authService = (recordSignIn: SignInAuditSink) => {
    signInAudit = recordSignIn;
    return buildAuth();
  };
  const verifications = lazy(() => createSyncedVerificationLog({ store: async () => createVerificationStore((await database()).prisma) }));
  const keyIdentities = retryingOnce(async () => createKeyIdentityStore((await database()).prisma));
  const ports = lazy(() =>
    createPorts({
      ...portsConfigFromEnv(),
      onVerified: async (verification) => {
        metrics().registryVerified(verification.domain, verification.result);
        const rejected = rejectedCredentialEvent(verification, verifications().lookup(verification));
        await verifications().record(verification);
        if (rejected) await notify(rejected);
      },
      onKeyIdentified: async (identity) => (await keyIdentities()).save(identity),
      onKubeRequest: (event) => metrics().kubeRequest(event),
    }),
  );
  const credentialFacts = credentialFactsReader({
    keyOwners: (fingerprints) =>
      readKeyOwners(keyIdentities, fingerprints, (error) => logger.warn({ error: error instanceof Error ? error.message : String(error) }, "API key owners could not be read; copies and dead keys are judged without them")),
    verifications: { sync: () => verifications().sync(), lookup: (key) => verifications().lookup(key) },
    onSyncError: (error) => logger.warn({ error: error instanceof Error ? error.message : String(error) }, "verification results could not be read from the database; coverage uses what this process knows"),
  });
  // Coverage also learns which registries keeping rules require where (a rule makes a registry needed); unreadable rules require nothing.
  const scanFacts: CredentialFactsReader = async (inventory) => {
    const [facts, active, labels] = await Promise.all([credentialFacts(inventory), rules().then((store) => store.list()).catch(() => []), labelsOrNone(clusterStore, inventory.cluster)]);
    return { ...facts, requiredRegistries: ruleRequirements(active, inventory, labels) };
  };
  // Pods newly failing to pull since a cluster's previous scan are notified (pod.pull_failing), once per namespace and cause.
  const failingPods = new Map<string, Set<string>>();
  const snapshots = scanSnapshotsIn(database);
  const onScan = (scan: ClusterScan) => {
    metrics().scanFinished(scan);
    snapshots.saver.offer(scan);
    if (!scan.inventory) return;
    const { events, failing } = newPullFailureEvents(scan.inventory, failingPods.get(scan.cluster) ?? new Set(), scan.finishedAt);
    failingPods.set(scan.cluster, failing);
    for (const event of events) void notify(event);
  };
  const scans = lazy(() => createClusterScanCache(ports().kube, onScan, scanFacts, { concurrency: env().PULLKEEPER_SCAN_CONCURRENCY, ...snapshots.restoring }));
  // Reads the scan cache without scanning: a scrape never starts a cluster scan.
  const metrics = lazy(() =>
    createPullkeeperMetrics({
      scans: () => ports().kube.listClusters().flatMap((info) => scans().peek(info.name)?.value ?? []),
      jobDepth: async () => (await jobs()).depth(),
      ruleStatuses: async () => ruleStatusSamples(await rules()),
      watchHealth: () => watcher.current?.health() ?? [],
    }),
  );
  const watcher: ServerRoot["watcher"] = { current: null };
  const scanLimiter = lazy(() => createRateLimiter({ limit: env().PULLKEEPER_SCAN_RATE_LIMIT_PER_MINUTE, windowMs: 60_000 }));
  const missingNamespaceRescans = lazy(() => createRateLimiter({ limit: 1, windowMs: MISSING_NAMESPACE_RESCAN_MS }));
  const previews = lazy(() => new PreviewedPlans());
  // One cipher for every credential kept for the long run (accounts' API keys, cluster tokens, webhook URLs and keys).
  // Built on first use: a server that keeps no such credential needs no PULLKEEPER_ENCRYPTION_KEY.
  const credentialCipher = lazy(() => deferredCredentialCipher(() => credentialCipherFromEnv(env())));
  const notifications = retryingOnce(() => notificationsFromEnv(database, jobs, credentialCipher()));
  const notify = safeNotify(notifications);
  const runStates = retryingOnce(async () => createPrismaRunStateStore((await database()).prisma, createSealedBox(resolveAuthSecret(authConfigFromEnv(env())), "workflow-run-secrets")));
  const jobs = retryingOnce(async () => openJobQueue(await database()));
  const rules = retryingOnce(async () => createRuleStore((await database()).prisma));
  const clusterStore = retryingOnce(async () => createClusterStore((await database()).prisma, credentialCipher()));
  const clusterConnections = retryingOnce(async () => openClusterConnections(await clusterStore(), ports()));
  const auditStore = retryingOnce(async () => {
    const { prisma, provider } = await database();
    // Failed and interrupted runs notify once their final status is written (lib/notifications/audit-events.ts).
    return notifyingAuditStore(observedAuditStore(createPrismaAuditStore(prisma, provider), metrics()), notify);
  });
  return { shutdown: { draining: false, pause: new AbortController() }, startup: { warmingSince: null }, runStates, jobs, auditStore, database, authService, ports, scans, verifications, keyIdentities, scanLimiter, missingNamespaceRescans, scanSnapshots: snapshots.saver, metrics, previews, notifications, notify, rules, clusterStore, clusterConnections, watcher };
}

/** A cluster's labels for the rules' requirements in coverage; unreadable, a rule choosing clusters by label requires nothing there. */
async function labelsOrNone(store: () => Promise<ClusterStore>, cluster: string): Promise<Record<string, string>> {
  return store().then((opened) => currentClusterLabels(opened, cluster)).catch(() => ({}));
}

function lazy<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}

/** Each cluster's last successful scan, kept in the database for the first visitors after a restart (lib/queries/scan-snapshots.ts). */
function scanSnapshotsIn(database: () => Promise<DatabaseConnection>) {
  const store = retryingOnce(async () => createScanSnapshotStore((await database()).prisma));
  const warn = (message: string) => (cluster: string, error: unknown) => logger.warn({ cluster, err: error instanceof Error ? error.message : String(error) }, message);
  return {
    saver: createSnapshotSaver(store, warn("the cluster's scan could not be saved for after a restart")),
    restoring: {
      restore: async (cluster: string, server: string) => (await store()).load(cluster, server),
      onRestoreError: warn("the scan saved before the restart could not be read; the first visit waits for a new scan"),
    },
  };
}

/** Shares one build while it runs and after it succeeded; forgets a failed one. */
function retryingOnce<T>(build: () => Promise<T>): () => Promise<T> {
  let held: Promise<T> | undefined;
  return () =>
    (held ??= build().catch((error: unknown) => {
      held = undefined;
      throw error;
    }));
}
