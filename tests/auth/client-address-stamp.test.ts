/**
 * The client address at the HTTP server: a real http.Server with the stamp
 * installed, requests over loopback carrying whatever headers a client likes.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_ADDRESS_HEADER, clientAddress, parseTrustedProxies } from "@/lib/auth/client-address";
import { installClientAddressStamp, stampRequest } from "@/lib/auth/client-address-stamp";

function serve(onRequest: (request: http.IncomingMessage) => string | null) {
  const server = http.createServer((request, response) => response.end(JSON.stringify(onRequest(request))));
  return new Promise<{ url: string; close: () => Promise<void> }>((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => new Promise((done) => server.close(() => done())) }),
    ),
  );
}

const asHeaders = (request: http.IncomingMessage) => new Headers(Object.entries(request.headers).map(([k, v]): [string, string] => [k, String(v)]));

describe("the client-address stamp", () => {
  let server: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    installClientAddressStamp(parseTrustedProxies([]));
    server = await serve((request) => clientAddress(asHeaders(request)));
  });
  afterAll(async () => server?.close());

  it("gives a client rotating X-Forwarded-For (or sending the stamp header itself) its socket address every time", async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const response = await fetch(server.url, { headers: { "x-forwarded-for": `203.0.113.${i}`, "x-real-ip": `198.51.100.${i}`, [CLIENT_ADDRESS_HEADER]: `192.0.2.${i}` } });
      seen.add(await response.json());
    }
    expect([...seen]).toEqual(["127.0.0.1"]);
  });

  it("believes X-Forwarded-For only from a trusted proxy, up to the right-most untrusted hop", () => {
    const request = (remoteAddress: string, forwarded: string) =>
      ({ socket: { remoteAddress }, headers: { "x-forwarded-for": forwarded } }) as unknown as http.IncomingMessage;
    const trusted = parseTrustedProxies(["127.0.0.0/8"]);
    const viaProxy = request("127.0.0.1", "6.6.6.6, 203.0.113.9");
    stampRequest(viaProxy, trusted);
    expect(viaProxy.headers[CLIENT_ADDRESS_HEADER]).toBe("203.0.113.9");
    const direct = request("198.51.100.4", "6.6.6.6, 203.0.113.9");
    stampRequest(direct, trusted);
    expect(direct.headers[CLIENT_ADDRESS_HEADER]).toBe("198.51.100.4");
  });
});
