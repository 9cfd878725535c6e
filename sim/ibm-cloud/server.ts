import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { apiError } from "./errors";
import { header, json, type Route, type SimContext, type SimRequest, type SimResponse } from "./http";
import type { SimCluster } from "./clusters";
import { identityRoutes } from "./identity-routes";
import { generateIamSigningKey } from "./jwt";
import { kubernetesServiceRoutes } from "./kubernetes-service-routes";
import { policyRoutes } from "./policy-routes";
import { registryRoutes } from "./registry-routes";
import { demoSeed, emptySeed } from "./seed";
import { SimStore } from "./state";

/**
 * Fault injection, applied to every request except the `/_sim/*` control API.
 * `failNext`/`rateLimitNext` make a test deterministic ("the next 2 calls get a
 * 429"); the rates make a demo feel like a real, occasionally flaky cloud.
 */
export interface SimFaults {
  /** Added before every matching request is answered. */
  latencyMs?: number;
  /** Fraction (0-1) of matching requests answered with `errorStatus`. */
  errorRate?: number;
  /** 5xx status for injected errors; default 503. */
  errorStatus?: number;
  /** Fraction (0-1) of matching requests answered 429. */
  rateLimitRate?: number;
  /** Retry-After on injected 429s, in seconds; default 1. */
  retryAfterSeconds?: number;
  /** Answer the next N matching requests with `errorStatus`. */
  failNext?: number;
  /** Answer the next N matching requests with 429. */
  rateLimitNext?: number;
  /** Only requests whose path starts with this (e.g. `/v1/policies`, `/us.icr.io/`). */
  pathPrefix?: string;
}

export interface SimStats {
  requests: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  injected: { delayed: number; errors: number; rateLimited: number };
  tokensIssued: number;
  registryTokensIssued: number;
}

export interface IbmCloudSimOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  faults?: SimFaults;
  /** Load the demo account from sim/demo-credentials.ts; default true. */
  seed?: boolean;
  /** JSON file to load state from (if present) and save every change to. */
  stateFile?: string;
  /** Protects `/_sim/*`; random by default. */
  controlToken?: string;
  /** IAM access token lifetime; default 3600 s like IAM (the CLI's bx client gets 1200 s in reality). */
  tokenTtlSeconds?: number;
  /** IAM refresh token lifetime; default 86400 s. */
  refreshTokenTtlSeconds?: number;
  /** Kubernetes Service clusters of the simulated accounts (see clusters.ts); `setClusters` replaces them later. */
  clusters?: SimCluster[];
  /** Clock override for token-expiry tests. */
  now?: () => Date;
}

export interface IbmCloudSim {
  /** Base URL for the IAM token endpoint, Identity and Policy APIs. */
  url: string;
  /** `http://127.0.0.1:PORT/{domain}`: base URL of each simulated registry. */
  registryUrlTemplate: string;
  controlToken: string;
  /** Issuer of IAM tokens (`<url>/identity`): what a Kubernetes API server's OIDC option points at. */
  iamIssuerUrl: string;
  /** Replaces the Kubernetes Service clusters (their API servers usually start after this simulator). */
  setClusters(clusters: SimCluster[]): void;
  setFaults(faults: SimFaults): void;
  stats(): SimStats;
  close(): Promise<void>;
}

const ROUTES: Route[] = [...identityRoutes, ...policyRoutes, ...kubernetesServiceRoutes, ...registryRoutes];
const MAX_BODY_BYTES = 1024 * 1024;

function validateFaults(input: unknown): SimFaults | string {
  if (typeof input !== "object" || input === null) return "faults must be an object";
  const f = input as Record<string, unknown>;
  const out: SimFaults = {};
  const num = (k: keyof SimFaults, min: number, max: number): string | undefined => {
    const v = f[k];
    if (v === undefined) return undefined;
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) return `${k} must be a number between ${min} and ${max}`;
    (out as Record<string, unknown>)[k] = v;
    return undefined;
  };
  const problems = [
    num("latencyMs", 0, 120_000),
    num("errorRate", 0, 1),
    num("errorStatus", 500, 599),
    num("rateLimitRate", 0, 1),
    num("retryAfterSeconds", 0, 3600),
    num("failNext", 0, 1_000_000),
    num("rateLimitNext", 0, 1_000_000),
  ].filter((p): p is string => p !== undefined);
  if (problems.length > 0) return problems.join("; ");
  if (f.pathPrefix !== undefined) {
    if (typeof f.pathPrefix !== "string") return "pathPrefix must be a string";
    out.pathPrefix = f.pathPrefix;
  }
  return out;
}

async function readBody(req: IncomingMessage): Promise<{ body: unknown; error?: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return { body: undefined, error: "request body too large" };
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return { body: undefined };
  const text = Buffer.concat(chunks).toString("utf8");
  const type = req.headers["content-type"] ?? "";
  if (type.includes("application/x-www-form-urlencoded")) return { body: Object.fromEntries(new URLSearchParams(text)) };
  try {
    return { body: JSON.parse(text) };
  } catch {
    return { body: undefined, error: "request body is not valid JSON" };
  }
}

function send(res: ServerResponse, response: SimResponse, method: string): void {
  if (res.writableEnded || res.destroyed) return;
  const headers: Record<string, string> = { ...(response.headers ?? {}) };
  let payload: string | Buffer | undefined;
  if (response.raw) {
    payload = response.raw.data;
    headers["Content-Type"] = response.raw.contentType;
    headers["Content-Length"] = String(payload.length);
  } else if (response.body !== undefined && response.status !== 204) {
    payload = JSON.stringify(response.body);
    headers["Content-Type"] = "application/json";
    headers["Content-Length"] = String(Buffer.byteLength(payload));
  }
  res.writeHead(response.status, headers);
  res.end(method === "HEAD" ? undefined : payload);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Starts the simulated IBM Cloud (IAM, Identity, Policy Management, registries) on one HTTP port. */
export async function startIbmCloudSim(options: IbmCloudSimOptions = {}): Promise<IbmCloudSim> {
  const controlToken = options.controlToken ?? randomBytes(18).toString("base64url");
  let faults: SimFaults = options.faults ? (() => {
    const v = validateFaults(options.faults);
    if (typeof v === "string") throw new Error(`Invalid simulator faults: ${v}`);
    return v;
  })() : {};
  const stats: SimStats = { requests: 0, byRoute: {}, byStatus: {}, injected: { delayed: 0, errors: 0, rateLimited: 0 }, tokensIssued: 0, registryTokensIssued: 0 };
  let baseUrl = "";
  let clusters: SimCluster[] = options.clusters ?? [];
  const ctx: SimContext = {
    store: SimStore.load(options.stateFile, () => (options.seed === false ? emptySeed() : demoSeed())),
    secret: randomBytes(32).toString("hex"),
    iamKey: generateIamSigningKey(),
    baseUrl: () => baseUrl,
    now: options.now ?? (() => new Date()),
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 86_400,
    refreshTokens: new Map(),
    clusters: () => clusters,
    counters: { tokensIssued: 0, registryTokensIssued: 0 },
  };

  function control(req: SimRequest): SimResponse {
    const auth = header(req, "authorization");
    const given = header(req, "x-sim-control-token") ?? (auth?.startsWith("Bearer ") ? auth.slice(7) : undefined);
    if (given !== controlToken) return json(401, { error: "missing or wrong simulator control token" });
    if (req.path === "/_sim/faults" && req.method === "POST") {
      const next = validateFaults(req.body ?? {});
      if (typeof next === "string") return json(400, { error: next });
      faults = next;
      return json(200, { faults });
    }
    if (req.path === "/_sim/faults" && req.method === "GET") return json(200, { faults });
    if (req.path === "/_sim/stats" && req.method === "GET") return json(200, snapshot());
    return json(404, { error: "unknown control endpoint" });
  }

  function snapshot(): SimStats {
    return { ...structuredClone(stats), tokensIssued: ctx.counters.tokensIssued, registryTokensIssued: ctx.counters.registryTokensIssued };
  }

  /** Returns an injected failure for this request, or undefined to serve it normally. */
  async function injectFault(path: string): Promise<SimResponse | undefined> {
    if (faults.pathPrefix !== undefined && !path.startsWith(faults.pathPrefix)) return undefined;
    if (faults.latencyMs) {
      stats.injected.delayed += 1;
      await sleep(faults.latencyMs);
    }
    const retryAfter = String(faults.retryAfterSeconds ?? 1);
    const tooMany = () => {
      stats.injected.rateLimited += 1;
      return json(429, apiError(429, "rate_limit_exceeded", "Too many requests. Please retry later."), { "Retry-After": retryAfter });
    };
    const failure = () => {
      stats.injected.errors += 1;
      const status = faults.errorStatus ?? 503;
      return json(status, apiError(status, "service_unavailable", "The service is temporarily unavailable. Please retry later."));
    };
    if (faults.rateLimitNext) {
      faults.rateLimitNext -= 1;
      return tooMany();
    }
    if (faults.failNext) {
      faults.failNext -= 1;
      return failure();
    }
    if (faults.rateLimitRate && Math.random() < faults.rateLimitRate) return tooMany();
    if (faults.errorRate && Math.random() < faults.errorRate) return failure();
    return undefined;
  }

  const server = createServer((req, res) => {
    void (async () => {
      const method = req.method ?? "GET";
      const url = new URL(req.url ?? "/", baseUrl);
      const { body, error } = await readBody(req);
      const simReq: SimRequest = { method, url, path: url.pathname, headers: req.headers, body, ...(error ? { bodyError: error } : {}) };
      if (url.pathname.startsWith("/_sim/")) return send(res, control(simReq), method);
      stats.requests += 1;
      let matched: { route: Route; params: string[] } | undefined;
      for (const route of ROUTES) {
        if (route.method !== method) continue;
        const m = route.pattern.exec(url.pathname);
        if (m) {
          matched = { route, params: m.slice(1).map((p) => decodeURIComponent(p ?? "")) };
          break;
        }
      }
      const routeName = matched?.route.name ?? `${method} (unmatched)`;
      let response = await injectFault(url.pathname);
      if (!response && error) response = json(400, apiError(400, "invalid_body", error));
      if (!response && matched) response = await matched.route.handle(simReq, ctx, matched.params);
      response ??= json(404, apiError(404, "not_found", `No simulated endpoint for ${method} ${url.pathname}.`));
      stats.byRoute[routeName] = (stats.byRoute[routeName] ?? 0) + 1;
      stats.byStatus[String(response.status)] = (stats.byStatus[String(response.status)] ?? 0) + 1;
      send(res, response, method);
    })().catch((err: unknown) => {
      send(res, json(500, apiError(500, "internal_error", err instanceof Error ? err.message : "simulator failure")), req.method ?? "GET");
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;

  return {
    url: baseUrl,
    registryUrlTemplate: `${baseUrl}/{domain}`,
    controlToken,
    iamIssuerUrl: `${baseUrl}/identity`,
    setClusters(next) {
      clusters = next;
    },
    setFaults(next) {
      const v = validateFaults(next);
      if (typeof v === "string") throw new Error(`Invalid simulator faults: ${v}`);
      faults = v;
    },
    stats: snapshot,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
