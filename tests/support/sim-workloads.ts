import https from "node:https";
import type { KubeSim } from "@/sim/kube";

/** Direct calls to a simulated cluster as its admin, and the namespaces with a Deployment the pull tests start from. */

export function call(sim: KubeSim, method: string, path: string, body?: unknown, contentType = "application/json"): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(path, sim.url), { method, ca: sim.caPem ?? undefined, headers: { Authorization: `Bearer ${sim.tokens.admin}`, "Content-Type": contentType } }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => ((res.statusCode ?? 500) >= 300 ? reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`)) : resolve(JSON.parse(text))));
    });
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

export const dockerConfig = (key: string) => Buffer.from(JSON.stringify({ auths: { "us.icr.io": { username: "iamapikey", password: key } } })).toString("base64");

export async function namespaceWith(sim: KubeSim, ns: string, opts: { image: string; secretKey?: string; attach?: boolean; replicas?: number }): Promise<void> {
  await call(sim, "POST", "/api/v1/namespaces", { metadata: { name: ns } });
  if (opts.secretKey) {
    await call(sim, "POST", `/api/v1/namespaces/${ns}/secrets`, { metadata: { name: "team-us-icr-io" }, type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": dockerConfig(opts.secretKey) } });
    if (opts.attach) await call(sim, "PUT", `/api/v1/namespaces/${ns}/serviceaccounts/default`, { metadata: { name: "default", namespace: ns }, imagePullSecrets: [{ name: "team-us-icr-io" }] });
  }
  const labels = { app: "api" };
  await call(sim, "POST", `/apis/apps/v1/namespaces/${ns}/deployments`, {
    metadata: { name: "api" },
    spec: { replicas: opts.replicas ?? 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: "api", image: opts.image }] } } },
  });
}

export async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
