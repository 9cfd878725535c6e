import { DEMO_CLUSTER_SERVICE_IDS, DEMO_LEGACY_TOKENS } from "../demo-credentials";
import { daysAfter, deploymentWithPods, dockerCfg, dockerConfigJson, type Obj } from "./builders";
import { allIcrCredentials } from "./modern";

/**
 * A big cluster for scale tests: `count` namespaces with about ten secrets each
 * (pull-secret copies in several shapes, opaque app secrets, some legacy
 * .dockercfg), most default service accounts referencing a pull secret, and a
 * deployment in every third namespace. Built with shared encoded payloads so a
 * 2,000-namespace cluster starts in a couple of seconds.
 */
export const LARGE_CREATED = "2021-03-02T11:27:40Z";

const TEAMS = ["payments", "search", "web", "data", "logistics", "platform", "identity", "media"];
const ENVS = ["dev", "staging", "prod"];

export function largeObjects(count = 2000): Obj[] {
  const created = LARGE_CREATED;
  const key = DEMO_CLUSTER_SERVICE_IDS.regional.apiKey;
  const all = dockerConfigJson(allIcrCredentials(DEMO_CLUSTER_SERVICE_IDS.modern.apiKey));
  const us = dockerConfigJson([{ server: "us.icr.io", username: "iamapikey", password: key, email: "iamapikey" }]);
  const usStale = dockerConfigJson([{ server: "us.icr.io", username: "iamapikey", password: DEMO_CLUSTER_SERVICE_IDS.regional.revokedApiKey, email: "iamapikey" }]);
  const de = dockerConfigJson([{ server: "de.icr.io", username: "iamapikey", password: key, email: "iamapikey" }]);
  const legacy = dockerCfg([{ server: "registry.ng.bluemix.net", username: "token", password: DEMO_LEGACY_TOKENS.regional, email: "token" }]);
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  const o: Obj[] = [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "default", creationTimestamp: created } },
    { apiVersion: "v1", kind: "Secret", metadata: { name: "all-icr-io", namespace: "default", creationTimestamp: created }, type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": all } },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace: "default", creationTimestamp: created }, imagePullSecrets: [{ name: "all-icr-io" }] },
  ];
  const secret = (ns: string, name: string, type: string, data: Record<string, string>, ts: string, labels?: Record<string, string>): Obj => ({
    apiVersion: "v1", kind: "Secret", metadata: labels ? { name, namespace: ns, creationTimestamp: ts, labels } : { name, namespace: ns, creationTimestamp: ts }, type, data,
  });
  for (let i = 1; i <= count; i++) {
    const ns = `app-${String(i).padStart(4, "0")}`;
    const team = TEAMS[i % TEAMS.length]!;
    const env = ENVS[i % ENVS.length]!;
    const ts = daysAfter(created, 1 + (i % 700));
    o.push({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns, creationTimestamp: ts, labels: { team, env, tier: i % 4 === 0 ? "backend" : "frontend" } } });
    const pull: string[] = [];
    const shape = i % 10;
    if (shape < 6) {
      o.push(secret(ns, "all-icr-io", "kubernetes.io/dockerconfigjson", { ".dockerconfigjson": all }, ts));
      pull.push("all-icr-io");
    } else if (shape < 8) {
      o.push(secret(ns, `${ns}-us-icr-io`, "kubernetes.io/dockerconfigjson", { ".dockerconfigjson": shape === 7 ? usStale : us }, ts));
      o.push(secret(ns, `${ns}-de-icr-io`, "kubernetes.io/dockerconfigjson", { ".dockerconfigjson": de }, ts));
      pull.push(`${ns}-us-icr-io`, `${ns}-de-icr-io`);
    }
    if (i % 20 === 0) o.push(secret(ns, "bluemix-legacy-dockercfg", "kubernetes.io/dockercfg", { ".dockercfg": legacy }, ts));
    const opaque = 10 - (pull.length || 0) - (i % 20 === 0 ? 1 : 0);
    for (let k = 0; k < opaque; k++) {
      o.push(secret(ns, `app-config-${k}`, "Opaque", { "config.yaml": b64(`feature-${k}: enabled\n`), revision: b64(String(k)) }, ts, { app: `svc-${k % 3}` }));
    }
    const attach = pull.length > 0 && i % 9 !== 0;
    const sa: Obj = { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace: ns, creationTimestamp: ts } };
    if (attach) sa.imagePullSecrets = pull.map((name) => ({ name }));
    o.push(sa);
    if (i % 3 === 0) {
      const region = shape >= 6 && shape < 8 && i % 2 === 0 ? "de" : "us";
      o.push(...deploymentWithPods(ns, "service", { created: ts, image: `${region}.icr.io/${team}/service-${i % 50}:1.${i % 10}.0`, serviceAccountPullSecrets: attach ? pull : [], pulled: attach, labels: { team } }));
    }
  }
  return o;
}
