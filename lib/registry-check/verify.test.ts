import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createOutboundPolicy, parseAllowList } from "@/lib/net/outbound";
import { verifyRegistryCredential } from "./verify";

/**
 * Edge cases of the v2 handshake against a scripted in-process registry; the
 * simulator-backed flows (valid / rejected / unreachable) are in tests/registry.
 */

type Handler = (req: IncomingMessage, res: ServerResponse, base: string) => void;
const servers: Array<{ close: () => void }> = [];

async function registry(handler: Handler): Promise<string> {
  let base = "";
  const server = createServer((req, res) => handler(req, res, base));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  servers.push({
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  });
  return base;
}

afterEach(() => {
  while (servers.length) servers.pop()?.close();
});

const PASSWORD = "edge-case-password-0123456789";
// The scripted registries listen on loopback, which only an allow-list opens.
const outbound = createOutboundPolicy(parseAllowList("127.0.0.1"), "PULLKEEPER_REGISTRY_ALLOWED_HOSTS");
const check = (base: string, extra: { scope?: string } = {}) => verifyRegistryCredential({ domain: "reg.example", username: "u", password: PASSWORD, resolveBaseUrl: () => base, timeoutMs: 2_000, outbound, ...extra });
const challenge = (res: ServerResponse, value: string) => res.writeHead(401, { "WWW-Authenticate": value }).end();

describe("verifyRegistryCredential edge cases", () => {
  it("passes service and scope to the realm and sends Basic credentials there only", async () => {
    const seen: Array<{ url: string; auth: string | undefined }> = [];
    const base = await registry((req, res, b) => {
      seen.push({ url: req.url ?? "", auth: req.headers.authorization });
      if (req.url?.startsWith("/token")) return res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ access_token: "tok" }));
      if (req.headers.authorization === "Bearer tok") return res.writeHead(200).end("{}");
      challenge(res, `Bearer realm="${b}/token",service="reg.example"`);
    });
    const r = await check(base, { scope: "repository:team/app:pull" });
    expect(r.result).toBe("valid");
    expect(seen.map((s) => s.url)).toEqual(["/v2/", "/token?service=reg.example&scope=repository%3Ateam%2Fapp%3Apull", "/v2/"]);
    expect(seen[0]?.auth).toBeUndefined();
    expect(seen[1]?.auth).toBe(`Basic ${Buffer.from(`u:${PASSWORD}`).toString("base64")}`);
    expect(seen[2]?.auth).toBe("Bearer tok");
  });

  it("rejected when the registry refuses its own token on /v2/", async () => {
    const base = await registry((req, res, b) => {
      if (req.url?.startsWith("/token")) return res.writeHead(200).end(JSON.stringify({ token: "tok" }));
      res.writeHead(401, { "WWW-Authenticate": `Bearer realm="${b}/token"` }).end(JSON.stringify({ errors: [{ code: "DENIED", message: "no" }] }));
    });
    const r = await check(base);
    expect(r).toMatchObject({ result: "rejected" });
    expect(r.detail).toContain("refused it on /v2/");
  });

  it("unreachable for a 200 without a token, a realm that is not a URL, or a 401 without a challenge", async () => {
    const noToken = await registry((req, res, b) => (req.url?.startsWith("/token") ? res.writeHead(200).end("{}") : challenge(res, `Bearer realm="${b}/token"`)));
    expect((await check(noToken)).detail).toContain("without a token");
    const badRealm = await registry((_req, res) => challenge(res, 'Bearer realm="not a url"'));
    expect((await check(badRealm)).detail).toContain("not a URL");
    const bare = await registry((_req, res) => res.writeHead(401).end());
    const r = await check(bare);
    expect(r).toMatchObject({ result: "unreachable", credentialTested: false });
    expect(r.detail).toContain("without a usable challenge");
  });

  it("does not follow a token-service redirect with the credentials", async () => {
    let redirectedHits = 0;
    const base = await registry((req, res, b) => {
      if (req.url?.startsWith("/token")) return res.writeHead(302, { Location: `${b}/elsewhere` }).end();
      if (req.url?.startsWith("/elsewhere")) {
        redirectedHits += 1;
        return res.writeHead(200).end(JSON.stringify({ token: "t" }));
      }
      challenge(res, `Bearer realm="${b}/token"`);
    });
    const r = await check(base);
    expect(r.result).toBe("unreachable");
    expect(r.detail).toContain("HTTP 302");
    expect(redirectedHits).toBe(0);
  });

  it("reports a resolver that throws as unreachable", async () => {
    const r = await verifyRegistryCredential({ domain: "reg.example", username: "u", password: PASSWORD, resolveBaseUrl: () => { throw new Error("no template"); } });
    expect(r).toMatchObject({ result: "unreachable" });
    expect(r.detail).toContain("No registry URL");
  });
});
