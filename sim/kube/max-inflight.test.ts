import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { startKubeSim } from "./server";
import type { KubeSim } from "./types";

const sims: KubeSim[] = [];
afterEach(async () => Promise.all(sims.splice(0).map((sim) => sim.close())));

function get(sim: KubeSim, path: string, agent: http.Agent): Promise<{ status: number; type: string | undefined; retryAfter: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(new URL(path, sim.url), { agent, headers: { Authorization: `Bearer ${sim.tokens.admin}` } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, type: response.headers["content-type"], retryAfter: response.headers["retry-after"], body: Buffer.concat(chunks).toString("utf8") }),
      );
    });
    request.on("error", reject);
    request.end();
  });
}

describe("the maxInflight fault (max-inflight / Priority and Fairness rejection)", () => {
  it("answers requests over the limit at once with a plain-text 429 and Retry-After, and counts what it served at once", async () => {
    const sim = await startKubeSim({ name: "apf", tls: false, objects: [], faults: { latencyMs: 150, maxInflight: 2, retryAfterSeconds: 2 } });
    sims.push(sim);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
    const answers = await Promise.all(Array.from({ length: 5 }, () => get(sim, "/api/v1/namespaces", agent)));
    const served = answers.filter((answer) => answer.status === 200);
    const refused = answers.filter((answer) => answer.status === 429);
    expect(served).toHaveLength(2);
    expect(refused).toHaveLength(3);
    for (const answer of refused) {
      expect(answer.type).toMatch(/^text\/plain/);
      expect(answer.retryAfter).toBe("2");
      expect(answer.body).toBe("Too many requests, please try again later.\n");
    }
    expect(sim.stats()).toMatchObject({ peakInflight: 2, rejectedInflight: 3 });
    // Once the two in flight are answered, the server takes requests again.
    expect((await get(sim, "/api/v1/namespaces", agent)).status).toBe(200);
    agent.destroy();
  });

  it("does not count watches, which are long-running", async () => {
    const sim = await startKubeSim({ name: "apf-watch", tls: false, objects: [], faults: { maxInflight: 1 } });
    sims.push(sim);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
    const watch = http.request(new URL("/api/v1/namespaces?watch=true", sim.url), { agent, headers: { Authorization: `Bearer ${sim.tokens.admin}` } });
    const opened = new Promise<void>((resolve) => watch.on("response", () => resolve()));
    watch.on("error", () => undefined);
    watch.end();
    await opened;
    expect((await get(sim, "/api/v1/namespaces", agent)).status).toBe(200);
    expect(sim.stats()).toMatchObject({ peakInflight: 1, rejectedInflight: 0 });
    watch.destroy();
    agent.destroy();
  });
});
