import https from "node:https";
import type { KubeSim } from "@/sim/kube";

/** Direct calls to a simulated cluster as its admin, and the namespaces and workloads the pull tests start from. */

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
  await createWorkload(sim, ns, "Deployment", "api", { image: opts.image, replicas: opts.replicas ?? 2 });
}

const PLURAL = { Deployment: "deployments", StatefulSet: "statefulsets", DaemonSet: "daemonsets" } as const;

/** A Deployment, StatefulSet or DaemonSet `name` (label app=<name>) running one container `image`; DaemonSets ignore `replicas`. */
export async function createWorkload(sim: KubeSim, ns: string, kind: keyof typeof PLURAL, name: string, opts: { image: string; replicas?: number }): Promise<void> {
  const labels = { app: name };
  const template = { metadata: { labels }, spec: { containers: [{ name, image: opts.image }] } };
  await call(sim, "POST", `/apis/apps/v1/namespaces/${ns}/${PLURAL[kind]}`, {
    metadata: { name },
    spec: { ...(kind === "DaemonSet" ? {} : { replicas: opts.replicas ?? 1 }), selector: { matchLabels: labels }, template },
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
