import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { refuseBadBody, refuseCrossOrigin, SERVER_ACTION_BODY_LIMIT, SERVER_ACTION_BODY_LIMIT_BYTES } from "./server-action-guard";

const action = (body: BodyInit | null, headers: Record<string, string>) =>
  new Request("http://pk.test/admin/users", { method: "POST", body, headers: { "next-action": "7f00", ...headers } });

/** What React's encodeReply sends for a form action: the root row "0" and the form's fields under a numbered prefix. */
function formActionBody(): FormData {
  const form = new FormData();
  form.set("0", JSON.stringify(["$K1"]));
  form.set("1_email", "someone@example.com");
  return form;
}

describe("refuseCrossOrigin", () => {
  const headers = (entries: Record<string, string>) => new Headers(entries);

  it("lets a same-origin request through, by Host or by the first X-Forwarded-Host", () => {
    expect(refuseCrossOrigin(headers({ origin: "http://pk.test", host: "pk.test" }), [])).toBeNull();
    expect(refuseCrossOrigin(headers({ origin: "https://pk.example.com", host: "10.0.0.5:3000", "x-forwarded-host": "pk.example.com, proxy.internal" }), [])).toBeNull();
  });

  it("lets a request without Origin through, as Next does", () => {
    expect(refuseCrossOrigin(headers({ host: "pk.test" }), [])).toBeNull();
  });

  it("refuses another origin with 403 unless it is allowed, wildcards as in next.config.js", () => {
    expect(refuseCrossOrigin(headers({ origin: "http://evil.example", host: "pk.test" }), [])).toMatchObject({ status: 403, reason: "origin_mismatch" });
    expect(refuseCrossOrigin(headers({ origin: "null", host: "pk.test" }), [])).toMatchObject({ status: 403 });
    expect(refuseCrossOrigin(headers({ origin: "https://pk.example.com", host: "pk.internal" }), ["pk.example.com"])).toBeNull();
    expect(refuseCrossOrigin(headers({ origin: "https://a.example.com", host: "pk.internal" }), ["*.example.com"])).toBeNull();
    expect(refuseCrossOrigin(headers({ origin: "https://example.com", host: "pk.internal" }), ["*.example.com"])).toMatchObject({ status: 403 });
  });

  it("refuses an Origin that is not a URL with 400", () => {
    expect(refuseCrossOrigin(headers({ origin: "not a url", host: "pk.test" }), [])).toMatchObject({ status: 400, reason: "origin_malformed" });
  });
});

describe("refuseBadBody", () => {
  it('accepts what React sends: a JSON text, or multipart whose root field "0" is JSON', async () => {
    expect(await refuseBadBody(action('["$K1",{"a":1}]', { "content-type": "text/plain;charset=UTF-8" }))).toBeNull();
    expect(await refuseBadBody(action(formActionBody(), {}))).toBeNull();
  });

  it("refuses a body that is not JSON, or multipart that does not parse or lacks its JSON root, with 400", async () => {
    expect(await refuseBadBody(action("{not json", { "content-type": "text/plain;charset=UTF-8" }))).toMatchObject({ status: 400, reason: "body_malformed" });
    expect(await refuseBadBody(action("garbage", { "content-type": "multipart/form-data; boundary=----xyz" }))).toMatchObject({ status: 400 });
    const noRoot = new FormData();
    noRoot.set("1_email", "someone@example.com");
    expect(await refuseBadBody(action(noRoot, {}))).toMatchObject({ status: 400 });
    const badRoot = formActionBody();
    badRoot.set("0", "{not json");
    expect(await refuseBadBody(action(badRoot, {}))).toMatchObject({ status: 400 });
  });

  it("refuses a body over the limit with 413, by its Content-Length or by counting a chunked one", async () => {
    const big = "a".repeat(SERVER_ACTION_BODY_LIMIT_BYTES + 1);
    expect(await refuseBadBody(action(big, { "content-type": "text/plain", "content-length": String(big.length) }))).toMatchObject({ status: 413, reason: "body_too_large" });
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 5; i++) controller.enqueue(new Uint8Array(SERVER_ACTION_BODY_LIMIT_BYTES / 4));
        controller.close();
      },
    });
    const request = new Request("http://pk.test/", { method: "POST", body: chunked, headers: { "next-action": "7f00", "content-type": "text/plain" }, duplex: "half" } as RequestInit);
    expect(await refuseBadBody(request)).toMatchObject({ status: 413 });
    expect(await refuseBadBody(action(JSON.stringify(["a".repeat(1000)]), { "content-type": "text/plain" }), 100)).toMatchObject({ status: 413 });
  });

  it("leaves URL-encoded bodies to Next, which runs no action for them", async () => {
    expect(await refuseBadBody(action("a=%zz", { "content-type": "application/x-www-form-urlencoded" }))).toBeNull();
  });
});

describe("next.config.js", () => {
  it("limits server action bodies to the size the proxy enforces", async () => {
    const configUrl = pathToFileURL(path.join(import.meta.dirname, "../../next.config.js")).href;
    const nextConfig = (await import(/* @vite-ignore */ configUrl)).default as { experimental: { serverActions: { bodySizeLimit: string } } };
    expect(nextConfig.experimental.serverActions.bodySizeLimit).toBe(SERVER_ACTION_BODY_LIMIT);
    expect(SERVER_ACTION_BODY_LIMIT_BYTES).toBe(1024 * 1024);
  });
});
