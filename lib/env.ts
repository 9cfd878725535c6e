import "server-only";
import { z } from "zod";
import { parseTrustedProxies } from "@/lib/auth/client-address";
import { parseAllowList, type AllowEntry } from "./net/outbound";
import { PullkeeperError } from "@/lib/errors";
import { parseEncryptionKey } from "@/lib/sealing/credential-cipher";

/**
 * The only reader of process.env. Every setting is validated once; a wrong value
 * stops the server at start with a message naming the variable and what it expects.
 * Documented in .env.example and the README's configuration table.
 */

const optionalUrl = z
  .string()
  .trim()
  .url("expected an absolute URL such as https://iam.cloud.ibm.com")
  .optional()
  .or(z.literal("").transform(() => undefined));

const positiveInt = (fallback: number, max: number) =>
  z.coerce
    .number({ error: "expected a whole number" })
    .int("expected a whole number")
    .min(1, "expected at least 1")
    .max(max, `expected at most ${max}`)
    .default(fallback);

const booleanFlag = z
  .enum(["true", "false", "1", "0", ""], { error: "expected true or false" })
  .default("false")
  .transform((value) => value === "true" || value === "1");

/** An outbound allow-list (lib/net/outbound.ts): comma-separated host names, host:port, IP addresses ([v6]:port) or CIDR ranges. */
const allowList = (example: string) =>
  z
    .string()
    .default("")
    .transform((value, ctx): AllowEntry[] => {
      try {
        return parseAllowList(value);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: `${(error as Error).message} (expected e.g. ${example})` });
        return z.NEVER;
      }
    });

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .trim()
    .default("file:./data/pullkeeper.db")
    .refine((url) => url.startsWith("file:") || /^postgres(ql)?:\/\//.test(url), {
      message: "expected file:<path> for SQLite or postgresql://user@host:port/database",
    }),
  KUBECONFIG: z.string().trim().optional(),
  /** Set by the kubelet in every pod: where the pod's own API server answers. */
  KUBERNETES_SERVICE_HOST: z.string().trim().optional(),
  KUBERNETES_SERVICE_PORT: z.coerce.number({ error: "expected a port number" }).int().min(1).max(65535).default(443),
  /** auto: the pod's service account is a cluster when running in a pod (KUBERNETES_SERVICE_HOST set and a token mounted). */
  PULLKEEPER_IN_CLUSTER: z.enum(["auto", "true", "false"], { error: "expected auto, true or false" }).default("auto"),
  /** The name the pod's own cluster has in Pullkeeper (cluster rows, audit records, role scopes). */
  PULLKEEPER_IN_CLUSTER_NAME: z
    .string()
    .trim()
    .regex(/^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/, "expected a name of lowercase letters, digits, '.', '_' and '-'")
    .default("in-cluster"),
  /** Where the service-account token, ca.crt and namespace are mounted (projected tokens are re-read as they rotate). */
  PULLKEEPER_SERVICE_ACCOUNT_DIR: z.string().trim().default("/var/run/secrets/kubernetes.io/serviceaccount"),
  /** A directory of kubeconfig files (each key of a mounted Secret is one file): more clusters, added after KUBECONFIG. */
  PULLKEEPER_KUBECONFIG_DIR: z.string().trim().optional(),
  /** false: never change the database schema at start; refuse to start while migrations are pending. */
  PULLKEEPER_MIGRATE: z
    .enum(["true", "false", "1", "0", ""], { error: "expected true or false" })
    .default("true")
    .transform((value) => value !== "false" && value !== "0"),
  /** On SIGTERM: how long running workflow steps may take to finish before the process exits (the rest of each run goes on in another replica, or after the restart). */
  PULLKEEPER_SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number({ error: "expected a whole number" }).int("expected a whole number").min(0).max(3600).default(25),
  /** The most API requests in flight per cluster (the adaptive level starts at half and backs off on 429 / 5xx), and the workflow steps run at once. */
  PULLKEEPER_KUBE_CONCURRENCY: positiveInt(16, 64),
  PULLKEEPER_KUBE_TIMEOUT_MS: positiveInt(15_000, 300_000),
  /** How many clusters are read and modelled at once (fleet page, rule sweeps); the rest wait their turn. Probes are not bounded. */
  PULLKEEPER_SCAN_CONCURRENCY: positiveInt(8, 256),
  /** A workflow-run job starts no step after this long; the rest of the run is the next job (any replica). */
  PULLKEEPER_JOB_CHUNK_SECONDS: positiveInt(20, 600),
  /** A job whose process died runs again after this long (must exceed a chunk plus its slowest step). */
  PULLKEEPER_JOB_EXPIRE_SECONDS: positiveInt(90, 3600),
  /** How often pg-boss looks for expired jobs and trims its archive. */
  PULLKEEPER_JOB_MAINTENANCE_SECONDS: positiveInt(30, 3600),
  /** Cron (UTC) of the sweep that re-checks every distinct credential of every cluster against its registry; `off` disables it. */
  PULLKEEPER_VERIFY_SCHEDULE: z
    .string()
    .trim()
    .default("17 */6 * * *")
    .refine((value) => value === "off" || /^(\S+\s+){4}\S+$/.test(value), { message: "expected a five-field cron expression (UTC) or off" }),
  /** Cron (UTC) of the sweep that evaluates every active keeping rule on every cluster (the safety net behind the watches); `off` disables it. */
  PULLKEEPER_RULE_SCHEDULE: z
    .string()
    .trim()
    .default("*/5 * * * *")
    .refine((value) => value === "off" || /^(\S+\s+){4}\S+$/.test(value), { message: "expected a five-field cron expression (UTC) or off" }),
  /** Cron (UTC) of the run of every IBM Cloud account's join rules, which adds clusters new in a rule's resource group or with its tag; `off` disables it. */
  PULLKEEPER_JOIN_RULE_SCHEDULE: z
    .string()
    .trim()
    .default("*/10 * * * *")
    .refine((value) => value === "off" || /^(\S+\s+){4}\S+$/.test(value), { message: "expected a five-field cron expression (UTC) or off" }),
  /**
   * Scan every cluster from the start and again whenever its scan is older than 5 minutes, one cluster at a time, so
   * nobody waits for a scan on first opening a cluster; `off`: scan when a page or rule asks. Always on while metrics are.
   */
  PULLKEEPER_BACKGROUND_SCANS: z.enum(["on", "off"]).default("on"),
  /** Watch namespaces, service accounts, pull secrets and pods of every enabled cluster so keeping rules react within seconds and pull failures show without a rescan (`off`: only the scheduled sweep). */
  PULLKEEPER_WATCH: z.enum(["on", "off"]).default("on"),
  /** Full relist of every watched resource, the safety net for a watch that missed events (seconds). */
  PULLKEEPER_WATCH_RELIST_SECONDS: positiveInt(600, 86400),
  /** Workflow runs this process executes at once. */
  PULLKEEPER_WORKFLOW_WORKERS: positiveInt(2, 32),
  IBMCLOUD_API_KEY: z.string().trim().optional(),
  IBMCLOUD_IAM_URL: optionalUrl,
  IBMCLOUD_IAM_IDENTITY_URL: optionalUrl,
  IBMCLOUD_IAM_POLICY_URL: optionalUrl,
  /** IBM Cloud Kubernetes Service API (cluster discovery, kubeconfigs); default https://containers.cloud.ibm.com/global. */
  IBMCLOUD_CONTAINERS_URL: optionalUrl,
  /** Global Tagging API (cluster tags); default https://tags.global-search-tagging.cloud.ibm.com. */
  IBMCLOUD_TAGGING_URL: optionalUrl,
  /**
   * Seals credentials kept for the long run (lib/sealing/credential-cipher.ts): 32 random bytes as base64 or 64 hex digits.
   * Required in production to store credentials; the demo and development generate one beside the database.
   */
  PULLKEEPER_ENCRYPTION_KEY: z
    .string()
    .trim()
    .optional()
    .or(z.literal("").transform(() => undefined))
    .refine((value) => value === undefined || parseEncryptionKey(value) !== undefined, {
      message: "expected 32 random bytes as base64 or 64 hex digits, e.g. the output of `openssl rand -base64 32`",
    }),
  /** Keys stored credentials may still be sealed under, comma-separated, while `npm run credentials:reseal` moves them to PULLKEEPER_ENCRYPTION_KEY. */
  PULLKEEPER_ENCRYPTION_PREVIOUS_KEYS: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? value.split(",").map((v) => v.trim()).filter(Boolean) : []))
    .refine((values) => values.every((value) => parseEncryptionKey(value) !== undefined), { message: "expected comma-separated keys of 32 random bytes as base64 or 64 hex digits" }),
  REGISTRY_ENDPOINT_TEMPLATE: z
    .string()
    .trim()
    .optional()
    .refine((value) => !value || (value.includes("{domain}") && /^https?:\/\//.test(value)), {
      message: "expected an http(s) URL containing {domain}, e.g. http://127.0.0.1:4010/{domain}",
    }),
  /**
   * Registries Pullkeeper may reach at loopback, private, link-local or metadata addresses (refused otherwise):
   * comma-separated host names, host:port, IP addresses ([v6]:port) or CIDR ranges.
   */
  PULLKEEPER_REGISTRY_ALLOWED_HOSTS: allowList("registry.internal:5000,10.0.0.0/8"),
  /**
   * Cluster API servers an admin may register (from an uploaded kubeconfig) at loopback, private, link-local or
   * metadata addresses; same syntax. Kubeconfig files the operator mounts are not checked: the operator chose them.
   */
  PULLKEEPER_CLUSTER_ALLOWED_HOSTS: allowList("10.0.0.0/8,api.cluster.internal:6443"),
  /** Webhook targets Pullkeeper may reach at loopback, private, link-local or metadata addresses; same syntax. */
  PULLKEEPER_WEBHOOK_ALLOWED_HOSTS: allowList("alerts.internal:8080,10.0.0.0/8"),
  /** How long a webhook target may take to answer before the attempt counts as failed (and is retried). */
  PULLKEEPER_WEBHOOK_TIMEOUT_MS: positiveInt(10_000, 120_000),
  /** Signs session cookies; at least 32 characters. Required in production; dev and demo persist a generated one under ./data. */
  AUTH_SECRET: z
    .string()
    .trim()
    .min(32, "expected at least 32 random characters, e.g. the output of `openssl rand -base64 32`")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  AUTH_SESSION_TTL_HOURS: positiveInt(12, 24 * 30),
  /**
   * How long a replica may reuse who a session cookie belongs to without reading the session again (lib/auth/session-cache.ts).
   * Changes made through this replica (sign-out, role, deactivation) apply at once; changes made on another replica within this.
   * 0 reads the session on every request.
   */
  AUTH_SESSION_CACHE_SECONDS: z.coerce.number({ error: "expected a whole number" }).int("expected a whole number").min(0, "expected 0 or more").max(60, "expected at most 60").default(5),
  /** Single sign-on: all three of issuer, client ID and secret, or none. */
  AUTH_OIDC_ISSUER: optionalUrl,
  AUTH_OIDC_CLIENT_ID: z.string().trim().optional(),
  AUTH_OIDC_CLIENT_SECRET: z.string().trim().optional(),
  AUTH_OIDC_NAME: z.string().trim().min(1).default("Single sign-on"),
  /**
   * true: people new to Pullkeeper are created on first SSO sign-in, with the role AUTH_OIDC_GROUP_ROLES grants
   * (pending, no access, until an admin approves when no group is mapped).
   * Default false: only people an admin added first (same verified email) may sign in through the provider.
   */
  AUTH_OIDC_CREATE_USERS: booleanFlag,
  /** Group → role (and clusters) rules, `group=role[:c1,c2];...`; validated in lib/auth/config.ts. */
  AUTH_OIDC_GROUP_ROLES: z.string().trim().default(""),
  /** The ID-token claim holding the user's groups. */
  AUTH_OIDC_GROUPS_CLAIM: z.string().trim().min(1).default("groups"),
  /** The address people open, e.g. https://pullkeeper.example.com (cookies, redirects, the OIDC callback). */
  PULLKEEPER_PUBLIC_URL: optionalUrl,
  /** Comma-separated extra hosts (host[:port]) a reverse proxy serves the app under, for the origin checks. */
  PULLKEEPER_ALLOWED_ORIGINS: z
    .string()
    .trim()
    .default("")
    .transform((value) => value.split(",").map((item) => item.trim()).filter(Boolean)),
  /**
   * Comma-separated CIDRs (or addresses) of reverse proxies whose X-Forwarded-For is believed.
   * Default none: the client's address is the socket's peer, whatever headers say.
   */
  PULLKEEPER_TRUSTED_PROXIES: z
    .string()
    .trim()
    .default("")
    .transform((value) => value.split(",").map((item) => item.trim()).filter(Boolean))
    .superRefine((entries, ctx) => {
      try {
        parseTrustedProxies(entries);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: `${error instanceof Error ? error.message : String(error)}` });
      }
    }),
  /** Cluster rescans (POST /api/clusters/<c>/scan) one user may start per minute, per server process. */
  PULLKEEPER_SCAN_RATE_LIMIT_PER_MINUTE: positiveInt(6, 600),
  /**
   * Turns on the Prometheus endpoint /api/metrics, readable only with `Authorization: Bearer <this token>`.
   * Unset: the endpoint answers 404, as if it did not exist.
   */
  PULLKEEPER_METRICS_TOKEN: z
    .string()
    .trim()
    .regex(/^\S{24,}$/, "expected at least 24 characters without spaces, e.g. the output of `openssl rand -hex 32`")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  PULLKEEPER_DEMO: booleanFlag,
  /** Demo mode is refused with NODE_ENV=production unless this names the intent too (npm run demo, end-to-end tests). */
  PULLKEEPER_ALLOW_DEMO_IN_PRODUCTION: booleanFlag,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof envSchema>;

/** Settings that do not validate: stops the server at start, listing each problem (source `config`). */
export class EnvError extends PullkeeperError {
  override name = "EnvError";
  constructor(readonly problems: string[]) {
    super("config", "invalid", `Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  }
}

/** Parses an environment; exported for tests, the app uses `env()`. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((issue) => `${issue.path.join(".") || "environment"}: ${issue.message}`),
  );
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
