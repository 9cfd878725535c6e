import { createServer, type Server } from "node:http";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createIamClient, IamError, type IamLogger } from "@/lib/iam";
import { registryBaseUrlResolver, verifyRegistryCredential } from "@/lib/registry-check";
import {
  CREDENTIAL_CANARY,
  DEMO_CLUSTER_SERVICE_IDS,
  DEMO_LEGACY_TOKENS,
  DEMO_OPERATOR,
  DEMO_PRIVATE_REGISTRY,
  DEMO_RESTRICTED_USER,
} from "@/sim/demo-credentials";
import { startIbmCloudSim, type IbmCloudSim } from "@/sim/ibm-cloud";
import { LOOPBACK_ALLOWED } from "../support/outbound";

/**
 * Runs lib/iam and lib/registry-check through success and every failure path
 * with credentials that embed CREDENTIAL_CANARY, including servers that echo the
 * credential back, and checks that the canary never surfaces anywhere except
 * the one createApiKey result.
 */

let sim: IbmCloudSim;
const observed: string[] = [];
const logLines: string[] = [];
const logger: IamLogger = {
  debug: (o, m) => logLines.push(JSON.stringify([o, m])),
  info: (o, m) => logLines.push(JSON.stringify([o, m])),
  warn: (o, m) => logLines.push(JSON.stringify([o, m])),
};

function record(value: unknown): void {
  if (value instanceof Error) {
    observed.push(value.message, value.stack ?? "", String(value), JSON.stringify(value), inspect(value, { depth: 10, showHidden: true }));
  } else {
    observed.push(JSON.stringify(value), inspect(value, { depth: 10 }));
  }
}

async function capture(run: () => Promise<unknown>): Promise<void> {
  try {
    record(await run());
  } catch (error) {
    record(error);
  }
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

const writes: string[] = [];
beforeAll(async () => {
  sim = await startIbmCloudSim();
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    vi.spyOn(stream, "write").mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      writes.push(String(chunk));
      return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write);
  }
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      writes.push(args.map((a) => inspect(a, { depth: 10 })).join(" "));
    });
  }
});

afterAll(async () => {
  vi.restoreAllMocks();
  await sim.close();
});

describe("CREDENTIAL_CANARY never leaks", () => {
  it("every demo credential really carries the canary", () => {
    for (const v of [DEMO_OPERATOR.apiKey, DEMO_RESTRICTED_USER.apiKey, DEMO_CLUSTER_SERVICE_IDS.regional.apiKey, DEMO_CLUSTER_SERVICE_IDS.regional.revokedApiKey, DEMO_LEGACY_TOKENS.regional, DEMO_PRIVATE_REGISTRY.password]) {
      expect(v).toContain(CREDENTIAL_CANARY);
    }
  });

  it("through lib/iam: happy path, re-run and every error kind", async () => {
    const iam = createIamClient({ apiKey: DEMO_OPERATOR.apiKey, iamUrl: sim.url, logger, retry: { baseDelayMs: 5, maxDelayMs: 50 } });
    let createdKey = "";
    await capture(() => iam.whoAmI());
    await capture(() => iam.canManageServiceIds());
    const { serviceId } = await iam.findOrCreateServiceId({ name: "canary-id", description: "canary" });
    record(serviceId);
    await capture(() => iam.ensureRegistryPolicy({ serviceIamId: serviceId.iamId, role: "Reader", regions: ["us-south"] }));
    await capture(() => iam.ensureRegistryPolicy({ serviceIamId: serviceId.iamId, role: "Manager", regions: ["us-south"] }));
    const created = await iam.createApiKey({ serviceIamId: serviceId.iamId, name: "canary-key", description: "canary" });
    createdKey = created.apiKey;
    record({ id: created.id, name: created.name });
    await capture(() => iam.listApiKeys(serviceId.iamId));
    await capture(() => iam.listRegistryPolicies(serviceId.iamId));
    await capture(() => iam.listServiceIdsCreatedByPullkeeper());

    await capture(() => createIamClient({ apiKey: DEMO_CLUSTER_SERVICE_IDS.regional.revokedApiKey, iamUrl: sim.url, logger }).whoAmI());
    await capture(() => createIamClient({ apiKey: DEMO_RESTRICTED_USER.apiKey, iamUrl: sim.url, logger }).findOrCreateServiceId({ name: "x", description: "x" }));
    await capture(async () => createIamClient({ apiKey: `"${DEMO_OPERATOR.apiKey}"`, iamUrl: sim.url, logger }));
    sim.setFaults({ rateLimitNext: 5, retryAfterSeconds: 60 });
    await capture(() => createIamClient({ apiKey: DEMO_RESTRICTED_USER.apiKey, iamUrl: sim.url, logger }).whoAmI());
    sim.setFaults({ failNext: 5 });
    await capture(() => createIamClient({ apiKey: DEMO_RESTRICTED_USER.apiKey, iamUrl: sim.url, logger, retry: { baseDelayMs: 5 } }).whoAmI());
    sim.setFaults({ latencyMs: 500 });
    await capture(() => createIamClient({ apiKey: DEMO_RESTRICTED_USER.apiKey, iamUrl: sim.url, logger, timeoutMs: 100, retry: { maxRetries: 0 } }).whoAmI());
    sim.setFaults({});
    await capture(() => createIamClient({ apiKey: DEMO_OPERATOR.apiKey, iamUrl: "http://127.0.0.1:1", logger, retry: { maxRetries: 0 } }).whoAmI());

    // A hostile or buggy IAM that quotes the key back in its error body.
    const echo = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += String(c)));
      req.on("end", () => {
        const key = new URLSearchParams(body).get("apikey") ?? "";
        res.writeHead(400, { "Content-Type": "application/json" }).end(JSON.stringify({ errorCode: "BXNIM0415E", errorMessage: `API key ${key} could not be found`, context: { requestId: key } }));
      });
    });
    const echoUrl = await listen(echo);
    try {
      const err = await createIamClient({ apiKey: DEMO_OPERATOR.apiKey, iamUrl: echoUrl, logger }).whoAmI().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IamError);
      expect((err as IamError).kind).toBe("unauthorized");
      record(err);
    } finally {
      echo.close();
    }

    const everything = [...observed, ...logLines, ...writes].join("\n");
    expect(observed.length).toBeGreaterThan(20);
    expect(logLines.length).toBeGreaterThan(0);
    expect(everything).not.toContain(CREDENTIAL_CANARY);
    expect(createdKey.length).toBeGreaterThan(20);
    expect(everything).not.toContain(createdKey);
  });

  it("through lib/registry-check: valid, rejected, legacy tokens, unreachable, timeout and an echoing registry", async () => {
    const resolveBaseUrl = registryBaseUrlResolver(sim.registryUrlTemplate);
    const run = (domain: string, username: string, password: string, timeoutMs = 5_000) => capture(() => verifyRegistryCredential({ outbound: LOOPBACK_ALLOWED, domain, username, password, resolveBaseUrl, timeoutMs }));
    await run("us.icr.io", "iamapikey", DEMO_CLUSTER_SERVICE_IDS.regional.apiKey);
    await run("us.icr.io", "iamapikey", DEMO_CLUSTER_SERVICE_IDS.regional.revokedApiKey);
    await run("registry.ng.bluemix.net", "token", DEMO_LEGACY_TOKENS.regional);
    await run("icr.io", "token", DEMO_LEGACY_TOKENS.international);
    await run("quay.io", DEMO_PRIVATE_REGISTRY.username, DEMO_PRIVATE_REGISTRY.password);
    sim.setFaults({ latencyMs: 400 });
    await run("de.icr.io", "iamapikey", DEMO_CLUSTER_SERVICE_IDS.modern.apiKey, 100);
    sim.setFaults({});
    await capture(() => verifyRegistryCredential({ outbound: LOOPBACK_ALLOWED, domain: "us.icr.io", username: "iamapikey", password: DEMO_OPERATOR.apiKey, resolveBaseUrl: () => "http://127.0.0.1:1" }));

    // A registry that quotes the credentials (plain and Basic-encoded) in its refusal.
    const echo = createServer((req, res) => {
      const auth = req.headers.authorization ?? "";
      if (!auth) return res.writeHead(401, { "WWW-Authenticate": 'Basic realm="echo"' }).end();
      const decoded = Buffer.from(auth.replace(/^Basic /, ""), "base64").toString();
      res.writeHead(401, { "Content-Type": "application/json" }).end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: `bad login ${decoded} (${auth})` }] }));
    });
    const echoUrl = await listen(echo);
    try {
      const r = await verifyRegistryCredential({ outbound: LOOPBACK_ALLOWED, domain: DEMO_PRIVATE_REGISTRY.server, username: DEMO_PRIVATE_REGISTRY.username, password: DEMO_PRIVATE_REGISTRY.password, resolveBaseUrl: () => echoUrl });
      expect(r.result).toBe("rejected");
      expect(r.detail).toContain("[redacted]");
      record(r);
    } finally {
      echo.close();
    }

    const everything = [...observed, ...writes].join("\n");
    expect(everything).not.toContain(CREDENTIAL_CANARY);
  });
});
