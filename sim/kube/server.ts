import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import crypto from "node:crypto";
import type { AddressInfo } from "node:net";
import type { KubeSim, KubeSimFaults, KubeSimOptions, KubeSimUser } from "./types";
import { Store } from "./store";
import { KubeApi, type ApiRequest, type ApiResult } from "./api";
import { findResource, gr, gv, RESOURCES } from "./resources";
import { KubeStatusError, badRequest, conflict, forbidden, internalError, notFoundPath, serviceUnavailable, tooManyRequests, unauthorized } from "./status";
import { authenticate, authorize, defaultUsers, denialMessage, type Attributes } from "./rbac";
import { FaultInjector } from "./faults";
import { discoveryDocument, openapiV3Document, openapiV3Root, OPENAPI_V2_MINIMAL, versionDocument } from "./discovery";
import { generateTlsMaterial } from "./tls";
import { seedStore } from "./seed";
import { kubeconfigEntry, renderKubeconfig } from "./kubeconfig";
import { selfSubjectAccessReview, selfSubjectRulesReview } from "./access-review";
import { AUTHENTICATION_GROUP, selfSubjectReview, selfSubjectReviewVersion } from "./self-subject-review";
import { withTypeMeta } from "./objects";
import { startWorkloads } from "./workloads";
import { IAM_ROLE_RULES, OidcAuthenticator } from "./oidc";
import { ServiceAccountTokens } from "./service-account-tokens";
import { escalationDenial, SERVICE_ACCOUNT_PREFIX, withBoundRules } from "./rbac-bindings";
import { RBAC_GROUP } from "./validation";

const MAX_BODY = 3 * 1024 * 1024;
const OPEN_PATHS = new Set(["/version", "/healthz", "/livez", "/readyz"]);

interface RequestInfo {
  isResource: boolean;
  verb: string;
  group: string;
  version: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** k8s.io/apiserver RequestInfo resolution for the URL shapes clients use. */
function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const parts = path.split("/").filter(Boolean);
  let group = "";
  let version = "";
  let rest: string[];
  if (parts[0] === "api" && parts.length >= 2) {
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === "apis" && parts.length >= 3) {
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else return { isResource: false, verb: method.toLowerCase(), group, version, resource: "" };
  if (rest.length === 0) return { isResource: false, verb: method.toLowerCase(), group, version, resource: "" };
  let legacyWatch = false;
  if (rest[0] === "watch") {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === "namespaces" && rest.length > 1) {
    namespace = rest[1];
    if (rest.length > 2 && rest[2] !== "status" && rest[2] !== "finalize") rest = rest.slice(2);
  }
  const [resource = "", name, subresource] = rest;
  const watch = legacyWatch || query.get("watch") === "true" || query.get("watch") === "1";
  let verb: string;
  switch (method) {
    case "GET":
    case "HEAD":
      verb = watch ? "watch" : name ? "get" : "list";
      break;
    case "POST":
      verb = "create";
      break;
    case "PUT":
      verb = "update";
      break;
    case "PATCH":
      verb = "patch";
      break;
    case "DELETE":
      verb = name ? "delete" : "deletecollection";
      break;
    default:
      verb = method.toLowerCase();
  }
  return { isResource: true, verb, group, version, resource, subresource, namespace, name };
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new KubeStatusError(413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728"));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-cache, private", ...headers });
  res.end(text);
}

function sendError(res: http.ServerResponse, e: unknown) {
  const err = e instanceof KubeStatusError ? e : internalError((e as Error)?.message ?? String(e));
  if (!(e instanceof KubeStatusError)) console.error("[sim/kube] unexpected error", e);
  send(res, err.code, err.toStatus(), err.headers);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts one simulated cluster. See README.md for behaviour and fidelity notes. */
export async function startKubeSim(opts: KubeSimOptions): Promise<KubeSim> {
  const host = opts.host ?? "127.0.0.1";
  const useTls = opts.tls ?? true;
  const users: KubeSimUser[] = opts.users ?? defaultUsers();
  const controlToken = opts.controlToken ?? `control-${crypto.randomBytes(18).toString("base64url")}`;
  const serverVersion = opts.serverVersion ?? { major: "1", minor: "30", gitVersion: "v1.30.4" };
  const serverMinor = parseInt(serverVersion.minor, 10) || 30;
  const store = new Store();
  let initial: unknown[] = opts.objects ?? [];
  if (opts.stateFile && fs.existsSync(opts.stateFile)) {
    const saved = JSON.parse(fs.readFileSync(opts.stateFile, "utf8"));
    initial = Array.isArray(saved.objects) ? saved.objects : [];
  }
  seedStore(store, initial);
  const faults = new FaultInjector(opts.faults);
  const api = new KubeApi(store, {
    namespaceDeletionDelayMs: opts.namespaceDeletionDelayMs ?? 200,
    watch: {
      bookmarkIntervalMs: opts.watchBookmarkIntervalMs ?? 60_000,
      stalled: () => faults.get().stallWatches === true,
      resumeExpired: () => faults.get().watchResumeExpired === true,
    },
  });
  const workloads = opts.kubelet ? startWorkloads(store, opts.kubelet, serverMinor) : null;
  let stats: Record<string, number> = {};
  let total = 0;
  let inflight = 0;
  let peakInflight = 0;
  let rejectedInflight = 0;
  const oidc = opts.oidc ? new OidcAuthenticator(opts.oidc) : null;
  const tlsMaterial = useTls ? generateTlsMaterial(opts.name, host) : null;
  const serviceAccountTokens = new ServiceAccountTokens(store, tlsMaterial?.caPem ?? null);
  /** Static users first; then service-account tokens; then an IAM token, when the OIDC option is on. */
  const authenticateUser = async (header: string | undefined): Promise<KubeSimUser | null> => {
    const user = authenticate(users, header);
    const m = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
    if (user || !m) return user;
    const serviceAccount = serviceAccountTokens.authenticate(m[1]!.trim());
    if (serviceAccount || !oidc) return serviceAccount;
    return oidc.authenticate(m[1]!.trim(), Math.floor(Date.now() / 1000));
  };
  /** The authenticated user with what stored RBAC binds to it, after impersonation (kubectl `--as`). */
  const resolveUser = async (req: http.IncomingMessage): Promise<KubeSimUser | null | KubeStatusError> => {
    const user = await authenticateUser(req.headers.authorization);
    if (!user) return null;
    const bound = withBoundRules(store, user);
    const as = req.headers["impersonate-user"];
    if (typeof as !== "string" || as === "") return bound;
    // The impersonation filter: `impersonate` on users, or on the service account itself for `system:serviceaccount:<ns>:<name>`.
    const sa = as.startsWith(SERVICE_ACCOUNT_PREFIX) ? as.slice(SERVICE_ACCOUNT_PREFIX.length).split(":") : null;
    const attrs: Attributes = sa && sa.length === 2 ? { verb: "impersonate", group: "", resource: "serviceaccounts", namespace: sa[0]!, name: sa[1]! } : { verb: "impersonate", group: "", resource: "users", namespace: "", name: as };
    if (!authorize(bound, attrs).allowed) return forbidden({ group: "", resource: attrs.resource }, as, denialMessage(bound, attrs));
    const known = users.find((u) => u.name === as);
    return withBoundRules(store, { name: as, token: "", rules: known?.rules ?? [] });
  };

  const saveState = () => {
    if (!opts.stateFile) return;
    const objects = RESOURCES.filter((r) => r.stored).flatMap((r) => store.list(r.plural as never).map((o) => withTypeMeta(r.kind, gv(r), o)));
    fs.writeFileSync(opts.stateFile, JSON.stringify({ resourceVersion: store.rv, objects }));
  };
  let saveTimer: NodeJS.Timeout | null = null;
  if (opts.stateFile) {
    store.onWrite = () => {
      if (saveTimer) return;
      saveTimer = setTimeout(() => {
        saveTimer = null;
        saveState();
      }, 250);
    };
  }

  const count = (key: string) => {
    total++;
    stats[key] = (stats[key] ?? 0) + 1;
  };

  const control = async (req: http.IncomingMessage, res: http.ServerResponse, path: string) => {
    if (req.headers.authorization !== `Bearer ${controlToken}`) return send(res, 401, unauthorized().toStatus());
    const body = await readBody(req);
    if (path === "/_sim/stats" && req.method === "GET") return send(res, 200, { total, byKey: stats, peakInflight, rejectedInflight });
    if (path === "/_sim/reset-stats" && req.method === "POST") {
      stats = {};
      total = 0;
      peakInflight = inflight;
      rejectedInflight = 0;
      return send(res, 200, { total, byKey: stats });
    }
    if (path === "/_sim/faults") {
      if (req.method === "POST") {
        let f: KubeSimFaults;
        try {
          f = JSON.parse(body.toString("utf8") || "{}");
        } catch {
          return sendError(res, badRequest("faults body must be JSON"));
        }
        faults.set(f);
      }
      return send(res, 200, faults.get());
    }
    if (path === "/_sim/iam-rbac" && req.method === "POST") {
      // What IKS does on applyRBACAndGetKubeconfig: the caller's IAM service role becomes RBAC in the cluster.
      if (!oidc) return sendError(res, notFoundPath());
      let grant: { username?: unknown; role?: unknown };
      try {
        grant = JSON.parse(body.toString("utf8") || "{}");
      } catch {
        return sendError(res, badRequest("iam-rbac body must be JSON"));
      }
      const role = grant.role as keyof typeof IAM_ROLE_RULES;
      if (typeof grant.username !== "string" || !(role in IAM_ROLE_RULES)) return sendError(res, badRequest("username and role (Reader|Writer|Manager) are required"));
      oidc.grant(grant.username, IAM_ROLE_RULES[role]);
      return send(res, 200, { username: grant.username, role });
    }
    if (path === "/_sim/compact" && req.method === "POST") {
      store.compact();
      return send(res, 200, { resourceVersion: store.rv, oldestResourceVersion: store.oldestRv });
    }
    if (path === "/_sim/state" && req.method === "GET") {
      return send(res, 200, { resourceVersion: store.rv, counts: Object.fromEntries(RESOURCES.filter((r) => r.stored).map((r) => [r.plural, store.count(r.plural as never)])) });
    }
    return sendError(res, notFoundPath());
  };

  /**
   * The max-inflight filter (and Priority and Fairness once its queues are full) answers a request over the limit
   * at once with a plain-text 429 and `Retry-After`, not a Status (k8s.io/apiserver pkg/server/filters/maxinflight.go
   * `tooManyRequests`; https://kubernetes.io/docs/concepts/cluster-administration/flow-control/). Long-running
   * requests (watches) are not counted. It runs after authentication and before authorization, as in the real chain.
   * Returns false when the request was refused; otherwise the request counts (for `peakInflight` too, with or without
   * the fault) until its response ends.
   */
  const admit = (res: http.ServerResponse, verb: string): boolean => {
    if (verb === "watch") return true;
    const limit = faults.get().maxInflight;
    if (limit !== undefined && inflight >= limit) {
      rejectedInflight++;
      res.writeHead(429, { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff", "Retry-After": String(faults.get().retryAfterSeconds ?? 1) });
      res.end("Too many requests, please try again later.\n");
      return false;
    }
    inflight++;
    peakInflight = Math.max(peakInflight, inflight);
    let done = false;
    const release = () => {
      if (done) return;
      done = true;
      inflight--;
    };
    res.on("finish", release);
    res.on("close", release);
    return true;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://sim");
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
    if (path.startsWith("/_sim/")) return control(req, res, path);
    if (faults.get().hang) return;
    const method = req.method ?? "GET";
    const info = parseRequestInfo(method, path, url.searchParams);
    count(
      info.isResource
        ? `${info.verb} ${info.resource}${info.subresource ? `/${info.subresource}` : ""}`
        : path.startsWith("/openapi")
          ? "openapi"
          : OPEN_PATHS.has(path)
            ? path.slice(1)
            : "discovery",
    );
    const body = await readBody(req);
    const resolved = await resolveUser(req);
    if (resolved instanceof KubeStatusError) return sendError(res, resolved);
    const user = resolved;
    opts.onRequest?.({
      method,
      path,
      query: url.search,
      contentType: req.headers["content-type"],
      accept: req.headers.accept,
      user: user?.name ?? null,
    });
    if (path === "/version") return send(res, 200, versionDocument(serverVersion));
    if (OPEN_PATHS.has(path)) {
      res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
      return res.end("ok");
    }
    if (!user) return send(res, 401, unauthorized().toStatus());

    if (!info.isResource) {
      if (method !== "GET" && method !== "HEAD") return sendError(res, notFoundPath());
      if (path === "/openapi/v2") {
        res.writeHead(200, { "Content-Type": "application/octet-stream" });
        return res.end(OPENAPI_V2_MINIMAL);
      }
      if (path === "/openapi/v3") return send(res, 200, openapiV3Root());
      if (path.startsWith("/openapi/v3/")) {
        const doc = openapiV3Document(path.slice("/openapi/v3/".length), serverVersion.gitVersion);
        return doc ? send(res, 200, doc) : sendError(res, notFoundPath());
      }
      const doc = discoveryDocument(path, `${host}:${(server.address() as AddressInfo).port}`, serverMinor);
      return doc ? send(res, 200, doc) : sendError(res, notFoundPath());
    }

    const isReview = info.group === "authorization.k8s.io" && info.version === "v1" && (info.resource === "selfsubjectaccessreviews" || info.resource === "selfsubjectrulesreviews");
    const isWhoAmI = info.group === AUTHENTICATION_GROUP && info.version === selfSubjectReviewVersion(serverMinor) && info.resource === "selfsubjectreviews";
    const def = findResource(info.group, info.version, info.resource);
    if (!def && !isReview && !isWhoAmI) return sendError(res, notFoundPath());

    if (!admit(res, info.verb)) return;
    const latency = faults.latencyMs();
    if (latency > 0) await sleep(latency);
    const outcome = faults.decide(info.verb === "update" || info.verb === "patch");
    if (outcome.kind === "drop") return req.socket.destroy();
    if (outcome.kind === "rateLimit") return sendError(res, tooManyRequests(outcome.retryAfterSeconds));
    if (outcome.kind === "error") return sendError(res, outcome.code === 503 ? serviceUnavailable() : internalError("etcdserver: request timed out (injected)"));

    if (isReview) {
      if (method !== "POST") return sendError(res, notFoundPath());
      const result = info.resource === "selfsubjectaccessreviews" ? selfSubjectAccessReview(user, req.headers, body) : selfSubjectRulesReview(user, req.headers, body, selfSubjectReviewVersion(serverMinor) !== null);
      return send(res, 201, result);
    }
    if (isWhoAmI) {
      // A create-only resource: any other verb is 405, as for a REST storage without Getter/Lister.
      if (method !== "POST" || info.name) return sendError(res, new KubeStatusError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", {}));
      return send(res, 201, selfSubjectReview(user, info.version, req.headers, body));
    }
    const resource = def!;
    const attrs: Attributes = {
      verb: info.verb,
      group: resource.group,
      resource: resource.plural,
      subresource: info.subresource,
      namespace: resource.plural === "namespaces" ? (info.name ?? "") : (info.namespace ?? ""),
      name: info.name,
    };
    if (!authorize(user, attrs).allowed) {
      return sendError(res, forbidden(gr(resource), info.name, denialMessage(user, attrs)));
    }
    const escalation = resource.group === RBAC_GROUP && (info.verb === "create" || info.verb === "update") ? rbacEscalation(user, resource.plural, info.namespace ?? "", body) : null;
    if (escalation) return sendError(res, forbidden(gr(resource), escalationName(body) ?? info.name, escalation));
    if (outcome.kind === "conflict") {
      return sendError(res, conflict(gr(resource), info.name ?? ""));
    }
    const apiReq: ApiRequest = { verb: info.verb, def: resource, namespace: info.namespace, name: info.name, query: url.searchParams, headers: req.headers, body };
    if (info.subresource) {
      if (info.subresource === "status" && info.verb === "get") return respond(res, api.get(apiReq));
      return sendError(res, new KubeStatusError(405, "MethodNotAllowed", `the server does not allow this method on the requested resource`, {}));
    }
    switch (info.verb) {
      case "list":
        return respond(res, api.list(apiReq));
      case "get":
        return respond(res, api.get(apiReq));
      case "watch":
        return api.watch(apiReq, res);
      case "create":
        if (info.name) return sendError(res, new KubeStatusError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", {}));
        return respond(res, api.create(apiReq));
      case "update":
        return respond(res, api.update(apiReq));
      case "patch":
        return respond(res, api.patch(apiReq, false));
      case "delete":
        return respond(res, api.delete(apiReq));
      case "deletecollection":
        return respond(res, api.deleteCollection(apiReq));
      default:
        return sendError(res, new KubeStatusError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", {}));
    }
  };

  /**
   * ConfirmNoEscalation for a role or binding being written (JSON bodies; a patch is not checked): the writer must hold
   * what it grants unless it may `escalate` roles or `bind` the role a binding names.
   */
  const rbacEscalation = (user: KubeSimUser, plural: string, namespace: string, body: Buffer): string | null => {
    let obj: Record<string, any>;
    try {
      obj = JSON.parse(body.toString("utf8"));
    } catch {
      return null;
    }
    if (plural === "clusterroles" || plural === "roles") {
      return escalationDenial(user, Array.isArray(obj?.rules) ? obj.rules : [], plural === "roles" ? namespace : "", { verb: "escalate", group: RBAC_GROUP, resource: plural, namespace, name: obj?.metadata?.name });
    }
    const ref = obj?.roleRef ?? {};
    const role = ref.kind === "Role" ? store.get("roles", namespace, ref.name) : store.get("clusterroles", undefined, ref.name);
    const rolePlural = ref.kind === "Role" ? "roles" : "clusterroles";
    return escalationDenial(user, Array.isArray(role?.rules) ? role.rules : [], plural === "rolebindings" ? namespace : "", { verb: "bind", group: RBAC_GROUP, resource: rolePlural, namespace: plural === "rolebindings" ? namespace : "", name: ref.name });
  };
  const escalationName = (body: Buffer): string | undefined => {
    try {
      const name = JSON.parse(body.toString("utf8"))?.metadata?.name;
      return typeof name === "string" ? name : undefined;
    } catch {
      return undefined;
    }
  };

  const respond = (res: http.ServerResponse, r: ApiResult) => send(res, r.status, r.body, r.headers);

  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) sendError(res, e);
      else res.destroy();
    });
  };
  const server: http.Server = tlsMaterial
    ? https.createServer({ key: tlsMaterial.keyPem, cert: tlsMaterial.certPem }, listener)
    : http.createServer(listener);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host === "0.0.0.0" ? "127.0.0.1" : host;
  const sim: KubeSim = {
    name: opts.name,
    url: `${useTls ? "https" : "http"}://${urlHost}:${port}`,
    caPem: tlsMaterial?.caPem ?? null,
    tokens: Object.fromEntries(users.map((u) => [u.name, u.token])),
    controlToken,
    setFaults: (f) => faults.set(f),
    stats: () => ({ total, byKey: { ...stats }, peakInflight, rejectedInflight }),
    resetStats: () => {
      stats = {};
      total = 0;
      peakInflight = inflight;
      rejectedInflight = 0;
    },
    kubeconfig: (k = {}) => renderKubeconfig([kubeconfigEntry(sim, k.user ?? "admin", k.contextName ?? opts.name)]),
    compactHistory: () => store.compact(),
    close: async () => {
      workloads?.close();
      serviceAccountTokens.close();
      api.close();
      if (saveTimer) clearTimeout(saveTimer);
      saveState();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return sim;
}
