import "server-only";
import http from "node:http";
import https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import { retry } from "@/lib/retry";
import { AdaptiveConcurrency, type Report, type ServerSignal } from "./adaptive-concurrency";
import { isKubeError, KubeError, kubeErrorFromNetwork, kubeErrorFromResponse, type KubeErrorContext } from "./errors";
import type { KubeRequestEvent, RetryOptions } from "./port";

export interface TransportOptions {
  requestTimeoutMs: number;
  /** The most requests in flight to this cluster; the adaptive level (adaptive-concurrency.ts) stays at or below it. */
  concurrency: number;
  retry: RetryOptions;
  onRequest?: (event: KubeRequestEvent) => void;
}

export interface KubeRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  contentType?: string;
  /** Accept header (default `application/json`), e.g. PartialObjectMetadataList for metadata-only lists. */
  accept?: string;
  /** Context for error messages. */
  ctx: Omit<KubeErrorContext, "cluster">;
  /** Retry 5xx and timeouts too (only for idempotent requests). 429 is always retried: the server did nothing. */
  idempotent: boolean;
}

/** Counts requests for one logical operation (an inventory read), including retries. */
export interface RequestCounter {
  count: number;
}

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** What an answer says about the API server's load (429: refused for load; 5xx: failing). */
function signalOf(res: { status: number; headers: http.IncomingHttpHeaders }): ServerSignal {
  if (res.status === 429) {
    const seconds = Number(res.headers["retry-after"]);
    return { kind: "overloaded", ...(Number.isFinite(seconds) && seconds > 0 ? { retryAfterMs: seconds * 1000 } : {}) };
  }
  return res.status >= 500 ? { kind: "failed" } : { kind: "ok" };
}

/**
 * JSON over HTTP(S) to one cluster's API server, authenticated by client-node's
 * KubeConfig (token, token file, exec plugin, client certificate, CA). It keeps
 * a keep-alive agent per cluster, bounds concurrency adaptively (below the
 * configured ceiling, backing off when the API server answers 429 or fails),
 * applies a per-request deadline, and retries 429 (honouring Retry-After) and,
 * for idempotent requests, 5xx and timeouts with exponential backoff and jitter.
 *
 * Why not the generated client-node API classes: in 1.x they have no
 * per-request timeout, open a new agent (TLS handshake) per call, and
 * deserialise every list item into model classes, which dominates the cost of
 * reading thousands of secrets. KubeConfig still does all authentication.
 */
export class ClusterTransport {
  private agent: http.Agent | undefined;
  /** Requests in flight to this cluster: adapts to the server's answers, never above `opts.concurrency`. */
  readonly concurrency: AdaptiveConcurrency;
  private readonly base: URL;

  constructor(
    readonly cluster: string,
    private readonly kc: KubeConfig,
    private readonly opts: TransportOptions,
  ) {
    this.concurrency = new AdaptiveConcurrency({ ceiling: Math.max(1, opts.concurrency), maxHoldMs: opts.retry.maxDelayMs });
    this.base = new URL(kc.getCurrentCluster()?.server ?? "https://invalid.invalid");
  }

  get server(): string {
    return this.base.origin;
  }

  private async prepare(): Promise<{ headers: Record<string, string>; agent: http.Agent }> {
    const o: https.RequestOptions = {};
    await this.kc.applyToHTTPSOptions(o);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(o.headers ?? {})) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : String(v);
    if (o.auth) headers.Authorization = `Basic ${Buffer.from(o.auth).toString("base64")}`;
    if (!this.agent) {
      const tls = { ca: o.ca, cert: o.cert, key: o.key, rejectUnauthorized: o.rejectUnauthorized, servername: o.servername };
      this.agent =
        this.base.protocol === "http:"
          ? new http.Agent({ keepAlive: true, maxSockets: this.opts.concurrency })
          : new https.Agent({ keepAlive: true, maxSockets: this.opts.concurrency, ...tls });
    }
    return { headers, agent: this.agent };
  }

  private url(path: string, query: KubeRequest["query"]): URL {
    const u = new URL(this.base.pathname.replace(/\/$/, "") + path, this.base);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== "") u.searchParams.set(k, String(v));
    return u;
  }

  private once(req: KubeRequest, counter?: RequestCounter): Promise<RawAnswer> {
    return this.concurrency.run((report) => this.send(req, report, counter));
  }

  /** One HTTP exchange; its outcome (answer, refusal for load, failure) goes to `report`. Authentication failures are not the server's load. */
  private async send(req: KubeRequest, report: Report, counter?: RequestCounter): Promise<RawAnswer> {
    if (counter) counter.count += 1;
    const { headers, agent } = await this.prepare();
    const url = this.url(req.path, req.query);
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const lib = url.protocol === "http:" ? http : https;
    return new Promise<RawAnswer>((resolve, reject) => {
      const r = lib.request(
        url,
        {
          method: req.method,
          agent,
          headers: {
            ...headers,
            Accept: req.accept ?? "application/json",
            "User-Agent": "pullkeeper",
            ...(body !== undefined ? { "Content-Type": req.contentType ?? "application/json", "Content-Length": Buffer.byteLength(body) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            clearTimeout(timer);
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") });
          });
          res.on("error", (e) => {
            clearTimeout(timer);
            reject(e);
          });
        },
      );
      const timer = setTimeout(() => {
        const e = Object.assign(new Error("request timed out"), { code: "ERR_KUBE_TIMEOUT" });
        r.destroy(e);
      }, this.opts.requestTimeoutMs);
      r.on("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
      if (body !== undefined) r.write(body);
      r.end();
    }).then(
      (res) => {
        report(signalOf(res));
        return res;
      },
      (error: unknown) => {
        report({ kind: "failed" });
        throw error;
      },
    );
  }

  /** One request with retries; resolves to the parsed JSON body of a 2xx answer, or throws KubeError. */
  request<T = unknown>(req: KubeRequest, counter?: RequestCounter): Promise<T> {
    const { attempts, baseDelayMs, maxDelayMs } = this.opts.retry;
    return retry(() => this.attempt<T>(req, counter), {
      attempts,
      delayMs: (error, attempt) => {
        if (!isKubeError(error)) return undefined;
        // A conflict is transient only for a caller that reads the object again first; the transport cannot.
        const retryable = error.kind === "rate_limited" || (req.idempotent && error.transient && error.kind !== "conflict");
        if (!retryable) return undefined;
        const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
        const jittered = backoff / 2 + Math.random() * (backoff / 2);
        const serverAsk = error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : 0;
        // A server that asks for a longer pause than we are willing to wait gets an honest rate_limited now.
        if (serverAsk > maxDelayMs) return undefined;
        return Math.max(jittered, serverAsk);
      },
    });
  }

  private async attempt<T>(req: KubeRequest, counter?: RequestCounter): Promise<T> {
    const ctx: KubeErrorContext = { cluster: this.cluster, ...req.ctx };
    let res: Awaited<ReturnType<ClusterTransport["once"]>>;
    const started = performance.now();
    try {
      res = await this.once(req, counter);
    } catch (e) {
      const error = kubeErrorFromNetwork(e, ctx, this.server, this.opts.requestTimeoutMs);
      this.report(req, error.kind, started);
      throw error;
    }
    this.report(req, String(res.status), started);
    if (res.status < 200 || res.status >= 300) throw kubeErrorFromResponse({ status: res.status, body: res.text, headers: res.headers }, ctx);
    try {
      return (res.text === "" ? {} : JSON.parse(res.text)) as T;
    } catch {
      throw new KubeError("unavailable", `The API server of cluster "${this.cluster}" answered with something that is not JSON.`, ctx, {
        status: res.status,
        // It did answer; asking again gets the same answer.
        transient: false,
      });
    }
  }

  private report(req: KubeRequest, code: string, started: number): void {
    // Time in the concurrency queue is included: it is what the caller waited.
    this.opts.onRequest?.({ cluster: this.cluster, method: req.method, code, durationSeconds: (performance.now() - started) / 1000 });
  }

  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }
}
