import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { createOutboundPolicy, parseAllowList, refusalMessage } from "@/lib/net/outbound";
import { verifyRegistryCredential } from "@/lib/registry-check";
import { REGISTRY_ALLOWED_HOSTS_SETTING } from "@/lib/registry-check/outbound";

/**
 * The registry checker against scripted registries on 127.0.0.1: refused by
 * default (an SSRF through a tenant's pull secret or the private-registry form),
 * allowed by the administrator's allow-list, never redirected or sending the
 * password to another host. Each server records what reached it.
 */

interface Recorder {
  port: number;
  base: string;
  hits: Array<{ url: string; authorization: string | undefined }>;
  close(): void;
}

const open: Recorder[] = [];
afterAll(() => open.forEach((server) => server.close()));

async function recorder(handler: (req: IncomingMessage, res: ServerResponse, self: Recorder) => void): Promise<Recorder> {
  const hits: Recorder["hits"] = [];
  const self = { hits } as Recorder;
  const server = createServer((req, res) => {
    hits.push({ url: req.url ?? "", authorization: req.headers.authorization });
    handler(req, res, self);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  self.port = (server.address() as { port: number }).port;
  self.base = `http://127.0.0.1:${self.port}`;
  self.close = () => {
    server.closeAllConnections();
    server.close();
  };
  open.push(self);
  return self;
}

async function closedPort(): Promise<number> {
  const probe = await recorder((_req, res) => res.end());
  probe.close();
  return probe.port;
}

const PASSWORD = "outbound-test-password-0123456789";
const allow = (list: string) => createOutboundPolicy(parseAllowList(list), REGISTRY_ALLOWED_HOSTS_SETTING);
const check = (base: string, outbound?: ReturnType<typeof allow>) =>
  verifyRegistryCredential({ domain: "registry.example", username: "robot", password: PASSWORD, resolveBaseUrl: () => base, timeoutMs: 2_000, ...(outbound ? { outbound } : {}) });

/** A registry that wants Basic credentials and accepts PASSWORD. */
const basicRegistry = (req: IncomingMessage, res: ServerResponse) => {
  const expected = `Basic ${Buffer.from(`robot:${PASSWORD}`).toString("base64")}`;
  if (req.headers.authorization === expected) return res.writeHead(200).end("{}");
  res.writeHead(401, { "WWW-Authenticate": 'Basic realm="registry"' }).end();
};

describe("registry checks and the outbound policy", () => {
  it("refuses a loopback registry without an allow-list: nothing reaches it", async () => {
    const registry = await recorder(basicRegistry);
    const started = Date.now();
    const result = await check(registry.base);
    expect(result).toMatchObject({ result: "unreachable", credentialTested: false, detail: refusalMessage("127.0.0.1", registry.port, REGISTRY_ALLOWED_HOSTS_SETTING) });
    expect(registry.hits).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("checks a registry the allow-list names, by address and port or by range", async () => {
    const registry = await recorder(basicRegistry);
    expect((await check(registry.base, allow(`127.0.0.1:${registry.port}`))).result).toBe("valid");
    expect((await check(registry.base, allow("127.0.0.0/8"))).result).toBe("valid");
    const otherPort = await check(registry.base, allow(`127.0.0.1:${registry.port + 1}`));
    expect(otherPort.detail).toBe(refusalMessage("127.0.0.1", registry.port, REGISTRY_ALLOWED_HOSTS_SETTING));
    expect(registry.hits.every((hit) => hit.url === "/v2/")).toBe(true);
    expect(registry.hits).toHaveLength(4);
  });

  it("refuses a name that resolves to loopback (checked after DNS), unless the list names it or its address", async () => {
    const registry = await recorder(basicRegistry);
    const byName = `http://localhost:${registry.port}`;
    expect((await check(byName)).detail).toBe(refusalMessage("localhost", registry.port, REGISTRY_ALLOWED_HOSTS_SETTING));
    expect(registry.hits).toEqual([]);
    expect((await check(byName, allow(`localhost:${registry.port}`))).result).toBe("valid");
    expect((await check(byName, allow(`127.0.0.1:${registry.port}`))).result).toBe("valid");
  });

  it.each([
    (port: number) => `http://[::1]:${port}`,
    (port: number) => `http://[::ffff:127.0.0.1]:${port}`,
    (port: number) => `http://[::ffff:7f00:1]:${port}`,
    (port: number) => `http://0.0.0.0:${port}`,
    (port: number) => `http://[::]:${port}`,
    (port: number) => `http://2130706433:${port}`,
    (port: number) => `http://0x7f.1:${port}`,
    (port: number) => `http://169.254.169.254:${port}`,
    (port: number) => `http://[fd00:ec2::254]:${port}`,
    (port: number) => `http://100.100.100.200:${port}`,
    (port: number) => `http://10.255.255.1:${port}`,
    (port: number) => `http://[fe80::1]:${port}`,
  ])("refuses other loopback, private and metadata forms at once: %s", async (url) => {
    const registry = await recorder(basicRegistry);
    const started = Date.now();
    const result = await check(url(registry.port));
    expect(result).toMatchObject({ result: "unreachable", credentialTested: false });
    expect(result.detail).toMatch(/^Pullkeeper does not connect to .*PULLKEEPER_REGISTRY_ALLOWED_HOSTS does not name it\.$/);
    expect(registry.hits).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("gives the same answer for a refused open port and a refused closed port", async () => {
    const registry = await recorder(basicRegistry);
    const closed = await closedPort();
    const shape = (r: Awaited<ReturnType<typeof check>>, port: number) => ({ result: r.result, credentialTested: r.credentialTested, detail: r.detail.replace(String(port), "PORT") });
    const openAnswer = shape(await check(registry.base), registry.port);
    const closedAnswer = shape(await check(`http://127.0.0.1:${closed}`), closed);
    expect(openAnswer).toEqual(closedAnswer);
    expect(openAnswer.detail).not.toMatch(/ECONNREFUSED|listening|timed out|HTTP \d/);
  });

  it("does not follow a /v2/ redirect to another host, and follows one within the registry", async () => {
    const elsewhere = await recorder((_req, res) => res.writeHead(200).end("{}"));
    const registry = await recorder((req, res) => {
      if (req.url === "/v2/") return res.writeHead(302, { Location: `http://localhost:${elsewhere.port}/v2/` }).end();
      res.writeHead(404).end();
    });
    const lists = allow(`127.0.0.1,localhost`);
    const redirected = await check(registry.base, lists);
    expect(redirected).toMatchObject({ result: "unreachable", credentialTested: false });
    expect(redirected.detail).toContain("redirected /v2/ to another host");
    expect(elsewhere.hits).toEqual([]);

    const moved = await recorder((req, res) => {
      if (req.url === "/v2/" && !req.headers.authorization) return res.writeHead(301, { Location: "/mirror/v2/" }).end();
      return basicRegistry(req, res);
    });
    const followed = await check(moved.base, lists);
    expect(moved.hits.map((hit) => hit.url)).toEqual(["/v2/", "/mirror/v2/", "/v2/"]);
    expect(followed.result).toBe("valid");
  });

  it("sends no credentials to a token realm on another host", async () => {
    const tokenService = await recorder((_req, res) => res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ token: "t" })));
    const registry = await recorder((req, res) => {
      if (req.headers.authorization === "Bearer t") return res.writeHead(200).end("{}");
      res.writeHead(401, { "WWW-Authenticate": `Bearer realm="http://localhost:${tokenService.port}/token",service="registry"` }).end();
    });
    const result = await check(registry.base, allow("127.0.0.1,localhost"));
    expect(result).toMatchObject({ result: "unreachable", credentialTested: false });
    expect(result.detail).toContain("token realm at another host");
    expect(tokenService.hits.filter((hit) => hit.authorization !== undefined)).toEqual([]);
    expect(tokenService.hits).toEqual([]);
  });
});
