import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIamClient } from "@/lib/iam";
import { registryBaseUrlResolver, verifyRegistryCredential } from "@/lib/registry-check";
import { DEMO_CLUSTER_SERVICE_IDS, DEMO_LEGACY_TOKENS, DEMO_OPERATOR, DEMO_RESTRICTED_USER } from "@/sim/demo-credentials";
import { startIbmCloudSim, type IbmCloudSim } from "@/sim/ibm-cloud";
import { LOOPBACK_ALLOWED } from "../support/outbound";

let sim: IbmCloudSim;
let resolveBaseUrl: (domain: string) => string;

beforeAll(async () => {
  sim = await startIbmCloudSim();
  resolveBaseUrl = registryBaseUrlResolver(sim.registryUrlTemplate);
});

afterAll(async () => {
  await sim.close();
});

function verify(domain: string, username: string, password: string, extra: { timeoutMs?: number; scope?: string } = {}) {
  return verifyRegistryCredential({ outbound: LOOPBACK_ALLOWED, domain, username, password, resolveBaseUrl, timeoutMs: 5_000, ...extra });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return `127.0.0.1:${(server.address() as { port: number }).port}`;
}

describe("registryBaseUrlResolver", () => {
  it("defaults to https://domain and fills a simulator template", () => {
    expect(registryBaseUrlResolver()("us.icr.io")).toBe("https://us.icr.io");
    expect(registryBaseUrlResolver("http://127.0.0.1:9/{domain}/")("de.icr.io")).toBe("http://127.0.0.1:9/de.icr.io");
    expect(() => registryBaseUrlResolver("http://127.0.0.1:9/")).toThrow(/\{domain\}/);
  });
});

describe("valid", () => {
  it.each(["icr.io", "us.icr.io", "uk.icr.io", "de.icr.io", "au.icr.io", "jp.icr.io", "br.icr.io", "ca.icr.io", "fr2.icr.io", "private.us.icr.io", "registry.ng.bluemix.net"])(
    "the demo cluster key on %s",
    async (domain) => {
      const r = await verify(domain, "iamapikey", DEMO_CLUSTER_SERVICE_IDS.modern.apiKey);
      expect(r).toMatchObject({ domain, username: "iamapikey", result: "valid", credentialTested: true });
      expect(r.fingerprint).toMatch(/^[0-9a-f]{12}$/);
      expect(r.detail).toContain("accepted it on /v2/");
      expect(Date.parse(r.checkedAt)).not.toBeNaN();
      expect(r.latencyMs).toBeGreaterThanOrEqual(0);
    },
  );

  it("a freshly created service-ID key with a regional Reader policy, and only in that region", async () => {
    const iam = createIamClient({ apiKey: DEMO_OPERATOR.apiKey, iamUrl: sim.url });
    const { serviceId } = await iam.findOrCreateServiceId({ name: "verify-fresh-id", description: "fresh" });
    await iam.ensureRegistryPolicy({ serviceIamId: serviceId.iamId, role: "Reader", regions: ["us-south"], registryNamespace: "team-a" });
    const { apiKey } = await iam.createApiKey({ serviceIamId: serviceId.iamId, name: "verify-fresh-key", description: "fresh" });
    expect((await verify("us.icr.io", "iamapikey", apiKey)).result).toBe("valid");
    const elsewhere = await verify("de.icr.io", "iamapikey", apiKey);
    expect(elsewhere.result).toBe("rejected");
    expect(elsewhere.detail).toContain("HTTP 403");
    expect(elsewhere.detail).toContain("eu-de");
  });

  it("a user's own key when the user has Reader on container-registry", async () => {
    expect((await verify("us.icr.io", "iamapikey", DEMO_RESTRICTED_USER.apiKey)).result).toBe("valid");
  });
});

describe("rejected", () => {
  it("the revoked (deleted) key that stale copies still carry", async () => {
    const r = await verify("us.icr.io", "iamapikey", DEMO_CLUSTER_SERVICE_IDS.regional.revokedApiKey);
    expect(r).toMatchObject({ result: "rejected", credentialTested: true });
    expect(r.detail).toContain("HTTP 401");
    expect(r.detail).toContain("The login credentials are not valid");
  });

  it("a wrong key", async () => {
    expect((await verify("icr.io", "iamapikey", "not-a-key-anyone-issued-0123456789abcdefgh")).result).toBe("rejected");
  });

  it("a discontinued registry token (user `token`) on its legacy domain", async () => {
    const r = await verify("registry.ng.bluemix.net", "token", DEMO_LEGACY_TOKENS.regional);
    expect(r.result).toBe("rejected");
    expect(r.detail).toContain("registry tokens are no longer supported");
  });

  it("a registry token presented to icr.io, with IBM's UNSUPPORTED message", async () => {
    const r = await verify("icr.io", "token", DEMO_LEGACY_TOKENS.international);
    expect(r.result).toBe("rejected");
    expect(r.detail).toContain("UNSUPPORTED");
  });
});

describe("unreachable", () => {
  it("a closed port", async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createNetServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const r = await verifyRegistryCredential({ outbound: LOOPBACK_ALLOWED, domain: "us.icr.io", username: "iamapikey", password: DEMO_CLUSTER_SERVICE_IDS.modern.apiKey, resolveBaseUrl: () => `http://127.0.0.1:${port}` });
    expect(r).toMatchObject({ result: "unreachable", credentialTested: false });
    expect(r.detail).toContain("ECONNREFUSED");
  });

  it("a registry slower than the timeout", async () => {
    sim.setFaults({ latencyMs: 1_000, pathPrefix: "/au.icr.io/" });
    try {
      const r = await verify("au.icr.io", "iamapikey", DEMO_CLUSTER_SERVICE_IDS.modern.apiKey, { timeoutMs: 200 });
      expect(r.result).toBe("unreachable");
      expect(r.detail).toContain("timed out after 200 ms");
      expect(r.latencyMs).toBeLessThan(900);
    } finally {
      sim.setFaults({});
    }
  });

  it("a registry answering 503", async () => {
    sim.setFaults({ failNext: 1, pathPrefix: "/jp.icr.io/" });
    const r = await verify("jp.icr.io", "iamapikey", DEMO_CLUSTER_SERVICE_IDS.modern.apiKey);
    expect(r.result).toBe("unreachable");
    expect(r.detail).toContain("HTTP 503");
  });

  it("a domain the simulator does not serve (not a v2 endpoint)", async () => {
    const r = await verify("quay.io", "robot", "pw-123456789");
    expect(r.result).toBe("unreachable");
    expect(r.detail).toContain("HTTP 404");
  });
});

describe("other registry behaviours", () => {
  it("tls_error for a certificate this server does not trust", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "pk-tls-"));
    try {
      execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"), "-days", "1", "-subj", "/CN=127.0.0.1"], { stdio: "ignore" });
      const server = createHttpsServer({ key: readFileSync(path.join(dir, "key.pem")), cert: readFileSync(path.join(dir, "cert.pem")) }, (_req, res) => res.end("{}"));
      const host = await listen(server);
      try {
        const r = await verifyRegistryCredential({ outbound: LOOPBACK_ALLOWED, domain: "self-signed.example", username: "u", password: "p-123456789", resolveBaseUrl: () => `https://${host}` });
        expect(r.result).toBe("tls_error");
        expect(r.detail).toMatch(/SELF_SIGNED|CERT/);
      } finally {
        server.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a registry that answers /v2/ anonymously is reachable but the credential is marked untested", async () => {
    const server = createHttpServer((_req, res) => res.writeHead(200, { "Content-Type": "application/json" }).end("{}"));
    const host = await listen(server);
    try {
      const r = await verifyRegistryCredential({ outbound: LOOPBACK_ALLOWED, domain: "open.example", username: "u", password: "p-123456789", resolveBaseUrl: () => `http://${host}` });
      expect(r).toMatchObject({ result: "valid", credentialTested: false });
      expect(r.detail).toContain("without authentication");
    } finally {
      server.close();
    }
  });

  it("a registry with a Basic challenge", async () => {
    const good = `Basic ${Buffer.from("robot$ci:right-password").toString("base64")}`;
    const server = createHttpServer((req, res) => {
      if (req.headers.authorization === good) return res.writeHead(200).end("{}");
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="Registry Realm"', "Content-Type": "application/json" }).end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: "authentication required" }] }));
    });
    const host = await listen(server);
    try {
      const base = { outbound: LOOPBACK_ALLOWED, domain: "registry.example.com", username: "robot$ci", resolveBaseUrl: () => `http://${host}` };
      expect((await verifyRegistryCredential({ ...base, password: "right-password" })).result).toBe("valid");
      const wrong = await verifyRegistryCredential({ ...base, password: "wrong-password" });
      expect(wrong.result).toBe("rejected");
      expect(wrong.detail).toContain("UNAUTHORIZED");
    } finally {
      server.close();
    }
  });
});
