import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CREDENTIAL_CANARY } from "@/sim/demo-credentials";
import { startKubeSim, type KubeSim } from "@/sim/kube";
import { KubeError } from "@/lib/kube";
import { buildIamApiKeyDockerConfigJson } from "@/lib/registry/docker-config";
import { caught, startHarness, type Harness } from "./support";

let h: Harness;
let other: KubeSim;
let closedPort: number;

beforeAll(async () => {
  h = await startHarness();
  other = await startKubeSim({ name: "other" }); // a different CA
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  closedPort = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
});
afterAll(async () => {
  await other.close();
  await h.close();
});

function expectKubeError(e: unknown, kind: KubeError["kind"]): KubeError {
  expect(e).toBeInstanceOf(KubeError);
  const err = e as KubeError;
  expect(err.kind, err.message).toBe(kind);
  expect(err.cluster).toBe("c1");
  expect(`${err.message}${err.stack}`).not.toContain(CREDENTIAL_CANARY);
  return err;
}

const json = () => buildIamApiKeyDockerConfigJson({ apiKey: `key-${CREDENTIAL_CANARY}-0123456789abcdef`, domains: ["us.icr.io"] });

describe("every KubeError kind against the simulator", () => {
  it("not_found", async () => {
    const e = expectKubeError(await caught(() => h.gateway().copySecret("c1", { namespace: "default", name: "nope" }, { namespace: "payments", name: "x" })), "not_found");
    expect(e).toMatchObject({ namespace: "default", object: "secrets/nope", status: 404 });
    expect(e.message).toContain('secrets "nope" not found');
  });

  it("forbidden: viewer may not create", async () => {
    const e = expectKubeError(await caught(() => h.gateway("viewer").createPullSecret("c1", { namespace: "payments", name: "new", dockerConfigJson: json() })), "forbidden");
    expect(e.message).toContain("cannot create resource");
  });

  it("unauthorized: a bad token", async () => {
    expectKubeError(await caught(() => h.gateway("nobody").readPullSecretInventory("c1")), "unauthorized");
    expect((await h.gateway("nobody").probe("c1")).status).toBe("unauthorized");
  });

  it("conflict: forced by the simulator's faults", async () => {
    h.sim.setFaults({ conflictNext: 100 });
    try {
      const e = expectKubeError(await caught(() => h.gateway().addImagePullSecrets("c1", "payments", "default", ["a"])), "conflict");
      expect(e.status).toBe(409);
    } finally {
      h.sim.setFaults({});
    }
  });

  it("invalid: a name the API server rejects", async () => {
    const e = expectKubeError(await caught(() => h.gateway().createPullSecret("c1", { namespace: "payments", name: "Bad_Name", dockerConfigJson: json() })), "invalid");
    expect(e.status).toBe(422);
  });

  it("invalid: content that is not a registry configuration never reaches the server", async () => {
    const before = h.sim.stats().total;
    expectKubeError(await caught(() => h.gateway().createPullSecret("c1", { namespace: "payments", name: "bad", dockerConfigJson: `{"auths":${CREDENTIAL_CANARY}` })), "invalid");
    expect(h.sim.stats().total).toBe(before);
  });

  it("already_exists", async () => {
    const g = h.gateway();
    await g.createPullSecret("c1", { namespace: "payments", name: "dup", dockerConfigJson: json() });
    const e = expectKubeError(await caught(() => g.createPullSecret("c1", { namespace: "payments", name: "dup", dockerConfigJson: json() })), "already_exists");
    expect(e.status).toBe(409);
  });

  it("rate_limited once the retries are exhausted", async () => {
    h.sim.setFaults({ rateLimitNext: 100, retryAfterSeconds: 0 });
    try {
      h.sim.resetStats();
      const e = expectKubeError(await caught(() => h.gateway("admin", { retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 50 } }).readPullSecretInventory("c1")), "rate_limited");
      expect(e.status).toBe(429);
    } finally {
      h.sim.setFaults({});
    }
  });

  it("rate_limited at once when the server asks for a longer pause than allowed", async () => {
    h.sim.setFaults({ rateLimitNext: 1, retryAfterSeconds: 30 });
    try {
      const started = Date.now();
      const e = expectKubeError(await caught(() => h.gateway("admin", { retry: { attempts: 5, baseDelayMs: 5, maxDelayMs: 1000 } }).canI("c1", { verb: "list", resource: "secrets" })), "rate_limited");
      expect(e.retryAfterSeconds).toBe(30);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      h.sim.setFaults({});
    }
  });

  it("unavailable: nothing listens on the port", async () => {
    const g = h.gateway("admin", { server: `https://127.0.0.1:${closedPort}`, retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 20 } });
    const e = expectKubeError(await caught(() => g.readPullSecretInventory("c1")), "unavailable");
    expect(e.message).toContain("connection refused");
    expect((await g.probe("c1")).status).toBe("unreachable");
  });

  it("tls_error: the kubeconfig trusts another CA", async () => {
    const g = h.gateway("admin", { caPem: other.caPem ?? "" });
    const e = expectKubeError(await caught(() => g.readPullSecretInventory("c1")), "tls_error");
    expect(e.message).toContain("certificate-authority");
    expect((await g.probe("c1")).status).toBe("tls_error");
  });

  it("timeout: the server answers later than the deadline", async () => {
    h.sim.setFaults({ latencyMs: 400 });
    try {
      const g = h.gateway("admin", { requestTimeoutMs: 100, retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 20 } });
      expectKubeError(await caught(() => g.canI("c1", { verb: "get", resource: "secrets" })), "timeout");
    } finally {
      h.sim.setFaults({});
    }
  });

  it("unknown context", async () => {
    const e = await caught(() => h.gateway().readPullSecretInventory("no-such-context"));
    expect(e).toMatchObject({ kind: "not_found", cluster: "no-such-context" });
  });
});

describe("probe", () => {
  it("reports version and identity", async () => {
    const p = await h.gateway().probe("c1");
    expect(p.status).toBe("reachable");
    expect(p.serverVersion).toMatch(/^v1\./);
    expect(p.identity).toMatchObject({ username: expect.any(String), source: "self-subject-review" });
  });
});
